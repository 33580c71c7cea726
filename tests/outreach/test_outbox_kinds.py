"""The outbox says what each message outside a campaign is and how it goes: a decision reads as a decision and
a letter as a letter, never every one as an "Acknowledgement" by "Email" (found walking the journeys, issue 17)."""

import pytest

from recordaccess.outreach import direct
from recordaccess.outreach.direct import send_direct_message
from recordaccess.practices.roles import Role

pytestmark = pytest.mark.django_db


def sent(practice, reference: str, channel: str, to: str) -> None:
    message = direct.queue(
        practice=practice, reference=reference, channel=channel, to=to, subject="", body="Hi"
    )
    assert send_direct_message.call(message.pk) == "sent"


def test_each_message_outside_a_campaign_is_named_for_what_it_is(staff_client, practice):
    sent(practice, "ACK-abc", "sms", "07700 900123")
    sent(practice, "DEC-abc", "sms", "07700 900123")
    sent(practice, "question-Q1-1", "letter", "Alex Morgan\n1 Road\nLS1 4AP")
    sent(practice, "STAFF-invited", "email", "sam@example.org")
    page = staff_client(Role.ADMINISTRATOR).get(f"/staff/p/{practice.ods_code}/outbox/").content.decode()
    assert "Acknowledgement – reference ACK-abc" in page
    assert "Decision – reference DEC-abc" in page
    assert "Answer to their question – reference question-Q1-1" in page
    assert "Letter to Alex Morgan" in page
    assert "Email to a member of staff – reference STAFF-invited" in page
    assert page.count("Acknowledgement") == 1
