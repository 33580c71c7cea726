"""The waiting-list policy moves from review to intake, beside the columns its weights fill (ADR 0007).

State only: the table keeps its name (review_waitinglistpolicy) and its rows, so nothing in the database changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0010_route_reply"),
        ("practices", "0004_approach_agreed_and_go_live"),
        ("review", "0006_alter_decision_message"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WaitingListPolicy",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "need_points",
                            models.FloatField(
                                default=30, help_text="Staff marked a clinical need (e.g. a carer)."
                            ),
                        ),
                        (
                            "risk_flag_points",
                            models.FloatField(
                                default=10,
                                help_text="The patient has a flag that demands enhanced review (reviewed sooner, with care).",
                            ),
                        ),
                        (
                            "prospective_points",
                            models.FloatField(
                                default=5,
                                help_text="Asked only for new entries: quicker to review than the full past record.",
                            ),
                        ),
                        (
                            "points_per_day",
                            models.FloatField(default=1, help_text="Waiting time: no one waits forever."),
                        ),
                        (
                            "target_days",
                            models.PositiveIntegerField(
                                default=28, help_text="The practice's target turnaround."
                            ),
                        ),
                        (
                            "reviewer_hours",
                            models.FloatField(
                                default=6,
                                help_text="Hours of reviewers' time set aside each week for reviews and conversations.",
                            ),
                        ),
                        (
                            "reception_may_grant",
                            models.BooleanField(
                                default=False,
                                help_text="Reception may grant new entries (prospective access) to a patient with no flag: the one grant that needs no clinical judgement. Everything else is decided by a reviewer.",
                            ),
                        ),
                        (
                            "practice",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="waiting_list_policy",
                                to="practices.practice",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "review_waitinglistpolicy",
                    },
                ),
            ],
        ),
    ]
