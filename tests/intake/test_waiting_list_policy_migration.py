"""A practice's waiting-list policy, set while the model was review's, is the same policy once intake owns it:
the move is state only and the table keeps its name and rows (intake.0011, review.0007; ADR 0007)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from recordaccess.intake.models import WaitingListPolicy
from tests import factories

BEFORE = [("review", "0006_alter_decision_message"), ("intake", "0010_route_reply")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_policy_saved_under_review_is_read_under_intake_with_its_numbers():
    practice = factories.practice("A81001", name="Riverside Surgery")
    try:
        old = migrate(BEFORE).loader.project_state(BEFORE).apps.get_model("review", "WaitingListPolicy")
        old.objects.create(practice_id=practice.pk, need_points=40, target_days=14, reception_may_grant=True)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    policy = WaitingListPolicy.objects.get(practice=practice)
    assert (policy.need_points, policy.target_days, policy.reception_may_grant) == (40, 14, True)
    assert WaitingListPolicy._meta.db_table == "review_waitinglistpolicy"
