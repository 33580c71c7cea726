import json

import pytest

from recordaccess.outreach.models import Message
from recordaccess.outreach.services import approve_campaign
from tests.outreach.conftest import APPROVER

pytestmark = pytest.mark.django_db
TOKEN = "a-long-random-callback-token-0123456789"


@pytest.fixture
def message(practice, campaign, settings):
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN
    approve_campaign(actor=APPROVER, practice=practice, campaign_id=campaign.pk)
    return Message.objects.filter(campaign=campaign, channel="sms").first()


def receipt(client, reference, status, token=TOKEN, *, authorization=None, notify_id="x"):
    return client.post(
        "/notify/receipts",
        json.dumps({"id": notify_id, "reference": reference, "status": status, "to": "07700 900001"}),
        content_type="application/json",
        headers={"Authorization": authorization if authorization is not None else f"Bearer {token}"},
    )


def test_a_delivery_receipt_updates_the_message_by_reference(client, message):
    assert receipt(client, message.reference, "delivered").status_code == 204
    message.refresh_from_db()
    assert message.status == "delivered"


def test_a_permanent_failure_is_recorded_so_the_next_campaign_falls_back(client, message):
    receipt(client, message.reference, "permanent-failure")
    message.refresh_from_db()
    assert (message.status, message.error) == ("permanent-failure", "permanent-failure")


def test_a_wrong_or_missing_token_is_refused(client, message):
    assert receipt(client, message.reference, "delivered", token="guess").status_code == 401
    assert client.post("/notify/receipts", "{}", content_type="application/json").status_code == 401
    message.refresh_from_db()
    assert message.status == "queued"


@pytest.mark.parametrize(
    "authorization",
    [TOKEN, f"bearer {TOKEN}", f"Bearer  {TOKEN}", f"Token {TOKEN}", f"{TOKEN} Bearer", "Bearer "],
)
def test_the_token_counts_only_with_the_bearer_scheme(client, message, authorization):
    assert receipt(client, message.reference, "delivered", authorization=authorization).status_code == 401
    message.refresh_from_db()
    assert message.status == "queued"


def test_a_malformed_receipt_gets_a_clear_error(client, message):
    assert receipt(client, message.reference, "on-its-way").status_code == 400


@pytest.mark.parametrize(
    ("reference", "notify_id", "reason"),
    [
        ("R" * 41, "x", "reference"),
        ("RA 1 2", "x", "reference"),
        (["RA-1-2"], "x", "reference"),
        ("RA-1-2", "9" * 41, "id"),
        ("RA-1-2", "", "id"),
        ("RA-1-2", "<script>", "id"),
    ],
)
def test_a_reference_or_id_that_cannot_be_ours_or_notifys_is_refused_with_the_reason(
    client, message, reference, notify_id, reason
):
    response = receipt(client, reference, "delivered", notify_id=notify_id)
    assert response.status_code == 400
    assert response.json()["error"].startswith(f"{reason} must be")


def test_a_receipt_without_a_reference_was_not_sent_by_us_and_changes_nothing(client, message):
    assert receipt(client, None, "delivered").status_code == 204
    message.refresh_from_db()
    assert message.status == "queued"


def test_an_unknown_reference_changes_nothing_and_reveals_nothing(client, message):
    assert receipt(client, "RA-999-999", "delivered").status_code == 204


def test_a_late_failure_never_undoes_a_delivery(client, message):
    receipt(client, message.reference, "delivered")
    receipt(client, message.reference, "temporary-failure")
    message.refresh_from_db()
    assert message.status == "delivered"


def test_a_body_nested_too_deep_to_read_gets_a_clear_error(client, message):
    response = client.post(
        "/notify/receipts",
        "[" * 100_000,
        content_type="application/json",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 400
