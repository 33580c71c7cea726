"""The Patient Participation Group's log: meetings and actions, who may keep and read them, the dates each must
keep to, the audit trail, and the pack to take to the group (read back from the PDF)."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.core.errors import NotFound
from recordaccess.outreach.models import Campaign, CampaignStatus, Message
from recordaccess.patients.models import Cohort, Patient
from recordaccess.practices.models import Dpia
from recordaccess.practices.roles import Role
from recordaccess.questions import demo_ppg, ppg
from recordaccess.questions.inbox import receive
from recordaccess.questions.models import FaqAnswer, PpgAction, PpgMeeting, QuestionRoute, Topic
from tests import factories

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("tests")
TODAY = timezone.localdate()


def _days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _parts(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def _meeting(practice, held_on=None, **fields) -> PpgMeeting:
    values = {"attendees": "Jean Smith, PPG chair", "discussed": "Online access", "feedback": ""} | fields
    return ppg.add_meeting(actor=ACTOR, practice=practice, held_on=held_on or _days(-30), **values)


def _error_on(page: str, field: str, message: str) -> bool:
    """The error summary links the message to its field."""
    return re.search(rf'<a href="#id_{field}(_day)?"\s*>\s*[^<]*{re.escape(message)}', page) is not None


def _url(name: str, practice, **kwargs) -> str:
    return reverse(f"staff:{name}", kwargs={"ods": practice.ods_code, **kwargs})


def test_an_administrator_adds_a_meeting_and_it_is_listed_newest_first_and_audited(staff_client, practice):
    client = staff_client(Role.ADMINISTRATOR)
    older = _meeting(practice, _days(-90), discussed="The first meeting")
    answer = client.post(
        _url("ppg_meeting_new", practice),
        {
            **_parts("held_on", _days(-7)),
            "attendees": "Jean Smith, PPG chair\nSam Taylor, practice manager",
            "discussed": "What the questions page says",
            "feedback": "Make it shorter",
        },
    )
    meeting = PpgMeeting.objects.exclude(pk=older.pk).get()
    assert answer.status_code == 302
    assert answer.url == _url("ppg_meeting", practice, meeting_id=meeting.pk)
    assert meeting.held_on == _days(-7)
    assert meeting.attendee_lines == ["Jean Smith, PPG chair", "Sam Taylor, practice manager"]
    page = client.get(_url("ppg", practice)).content.decode()
    assert page.index(f"/ppg/{meeting.pk}/") < page.index(f"/ppg/{older.pk}/")
    detail = client.get(answer.url).content.decode()
    assert "Sam Taylor, practice manager" in detail and "Make it shorter" in detail
    entry = AuditEntry.objects.filter(action="ppg.meeting_added", object_id=str(meeting.pk)).get()
    assert entry.practice_ods == practice.ods_code


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({**_parts("held_on", _days(1))}, "held_on", "The meeting date must be today or in the past"),
        (
            {"held_on_day": "31", "held_on_month": "2", "held_on_year": "2026"},
            "held_on",
            "must be a real date",
        ),
        (
            {"held_on_day": "3", "held_on_month": "", "held_on_year": "2026"},
            "held_on",
            "must include a month",
        ),
        (
            {"held_on_day": "", "held_on_month": "", "held_on_year": ""},
            "held_on",
            "Enter the date of the meeting",
        ),
        ({**_parts("held_on", _days(-1)), "attendees": " "}, "attendees", "Enter who attended"),
        ({**_parts("held_on", _days(-1)), "discussed": ""}, "discussed", "Enter what was discussed"),
    ],
)
def test_a_meeting_with_a_wrong_answer_is_refused_with_a_clear_error(
    staff_client, practice, fields, field, message
):
    client = staff_client(Role.ADMINISTRATOR)
    answer = client.post(
        _url("ppg_meeting_new", practice), {"attendees": "Jean", "discussed": "Access"} | fields
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "There is a problem" in page and message in page
    assert _error_on(page, field, message)
    assert not PpgMeeting.objects.exists()


def test_actions_keep_to_their_meetings_dates(staff_client, practice):
    client = staff_client(Role.ADMINISTRATOR)
    meeting = _meeting(practice, _days(-30))
    url = _url("ppg_action_new", practice, meeting_id=meeting.pk)
    base = {"what": "Leaflets at reception", "owner": "Practice manager"}
    refused = [
        ({**base, **_parts("due_on", _days(-31))}, "due_on", "The due date must be on or after the meeting"),
        ({**base, **_parts("due_on", _days(5)), "done": "on"}, "done_on", "Enter the date it was done"),
        (
            {**base, **_parts("due_on", _days(5)), "done": "on", **_parts("done_on", _days(-31))},
            "done_on",
            "The date it was done must be on or after the meeting",
        ),
        (
            {**base, **_parts("due_on", _days(5)), "done": "on", **_parts("done_on", _days(1))},
            "done_on",
            "The date it was done must be today or in the past",
        ),
        ({**base, **_parts("due_on", _days(5)), **_parts("done_on", _days(-1))}, "done", "Tick the Done box"),
        ({**_parts("due_on", _days(5)), "owner": "x"}, "what", "Enter what is to be done"),
    ]
    for fields, field, message in refused:
        answer = client.post(url, fields)
        assert answer.status_code == 400, fields
        assert _error_on(answer.content.decode(), field, message), fields
    assert not PpgAction.objects.exists()
    answer = client.post(url, {**base, **_parts("due_on", _days(5))})
    assert answer.status_code == 302
    action = PpgAction.objects.get()
    assert (action.meeting, action.due_on, action.done_on) == (meeting, _days(5), None)
    answer = client.post(
        _url("ppg_action_edit", practice, action_id=action.pk),
        {**base, **_parts("due_on", _days(5)), "done": "on", **_parts("done_on", _days(-2))},
    )
    assert answer.status_code == 302
    action.refresh_from_db()
    assert action.done and action.done_on == _days(-2)
    assert list(
        AuditEntry.objects.filter(object_type="ppg_action").order_by("seq").values_list("action", flat=True)
    ) == ["ppg.action_added", "ppg.action_changed"]


def test_a_meeting_cannot_move_after_its_actions_due_date(practice):
    meeting = _meeting(practice, _days(-30))
    ppg.add_action(
        actor=ACTOR, practice=practice, meeting_id=meeting.pk, what="x", owner="y", due_on=_days(-20)
    )
    with pytest.raises(ppg.PpgError) as refused:
        ppg.change_meeting(
            actor=ACTOR,
            practice=practice,
            meeting_id=meeting.pk,
            held_on=_days(-10),
            attendees="a",
            discussed="b",
        )
    assert refused.value.errors[0][0] == "held_on"
    assert "change its due date first" in str(refused.value)
    changed = ppg.change_meeting(
        actor=ACTOR,
        practice=practice,
        meeting_id=meeting.pk,
        held_on=_days(-25),
        attendees="a",
        discussed="b",
    )
    assert changed.held_on == _days(-25)
    entry = AuditEntry.objects.get(action="ppg.meeting_changed")
    assert "held_on" in entry.detail and "attendees" in entry.detail


def test_open_actions_show_which_are_overdue(staff_client, practice):
    meeting = _meeting(practice, _days(-30))
    late = ppg.add_action(
        actor=ACTOR, practice=practice, meeting_id=meeting.pk, what="Late one", owner="PM", due_on=_days(-3)
    )
    ppg.add_action(
        actor=ACTOR, practice=practice, meeting_id=meeting.pk, what="Soon one", owner="PM", due_on=_days(3)
    )
    ppg.add_action(
        actor=ACTOR, practice=practice, meeting_id=meeting.pk, what="Done one", owner="PM", due_on=_days(-5),
        done=True, done_on=_days(-6),
    )  # fmt: skip
    found = ppg.open_actions(practice)
    assert [(item.action.what, item.overdue, item.days_overdue) for item in found] == [
        ("Late one", True, 3),
        ("Soon one", False, 0),
    ]
    assert ppg.overdue_action_count(practice) == 1
    page = staff_client(Role.RECEPTION).get(_url("ppg", practice)).content.decode()
    table = page[page.index('id="open-actions"') :]
    assert "Late one" in table and "Overdue by 3 days" in table and "Soon one" in table
    assert "Done one" not in table
    assert f"/ppg/actions/{late.pk}/" not in page  # reception reads; only administrators change


@pytest.mark.parametrize(
    ("role", "reads", "edits"),
    [
        (Role.ADMINISTRATOR, 200, 200),
        (Role.REVIEWER, 200, 403),
        (Role.RECEPTION, 200, 403),
        (Role.OBSERVER, 403, 403),
    ],
)
def test_administrators_keep_the_log_and_other_staff_read_it(staff_client, practice, role, reads, edits):
    meeting = _meeting(practice)
    action = ppg.add_action(
        actor=ACTOR, practice=practice, meeting_id=meeting.pk, what="x", owner="y", due_on=_days(1)
    )
    client = staff_client(role)
    for url in [_url("ppg", practice), _url("ppg_meeting", practice, meeting_id=meeting.pk)]:
        assert client.get(url).status_code == reads, url
    for url in [
        _url("ppg_meeting_new", practice),
        _url("ppg_meeting_edit", practice, meeting_id=meeting.pk),
        _url("ppg_action_new", practice, meeting_id=meeting.pk),
        _url("ppg_action_edit", practice, action_id=action.pk),
    ]:
        assert client.get(url).status_code == edits, url
    assert client.post(_url("ppg_meeting_new", practice), {}).status_code == (400 if edits == 200 else 403)


def test_another_practices_meetings_and_actions_are_not_found(staff_client, practice, other_practice):
    theirs = _meeting(other_practice)
    their_action = ppg.add_action(
        actor=ACTOR, practice=other_practice, meeting_id=theirs.pk, what="x", owner="y", due_on=_days(1)
    )
    client = staff_client(Role.ADMINISTRATOR)
    for url in [
        _url("ppg_meeting", practice, meeting_id=theirs.pk),
        _url("ppg_meeting_edit", practice, meeting_id=theirs.pk),
        _url("ppg_action_new", practice, meeting_id=theirs.pk),
        _url("ppg_action_edit", practice, action_id=their_action.pk),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"what": "mine now"}).status_code == 404, url
    assert "Jean Smith" not in client.get(_url("ppg", practice)).content.decode()
    assert ppg.open_actions(practice) == []
    with pytest.raises(NotFound):
        ppg.add_action(
            actor=ACTOR, practice=practice, meeting_id=theirs.pk, what="x", owner="y", due_on=_days(1)
        )


def _pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def test_the_pack_holds_each_section_and_nothing_that_identifies_a_patient(staff_client, practice):
    Dpia.objects.filter(practice=practice).update(
        dpo_advice="Go ahead with the opt-out approach", residual_risk="low", review_on=_days(200)
    )
    cohort = Cohort.objects.create(practice=practice, name="Adults", created_by="t")
    campaign = Campaign.objects.create(
        practice=practice,
        name="Spring announcement",
        cohort=cohort,
        created_by="t",
        status=CampaignStatus.SENDING,
        plan={"recipients": 2, "by_channel": {"sms": 1, "email": 0, "letter": 1}},
    )
    patient = Patient.objects.create(
        practice=practice, nhs_number="9434765919", given_name="Zelda", family_name="Quartermaine",
        date_of_birth=datetime.date(1970, 5, 1), mobile="07700900123", postcode="LS1 4AP",
    )  # fmt: skip
    Message.objects.create(
        campaign=campaign, patient=patient, channel="sms", reference="ref-1", status="delivered"
    )
    faq = FaqAnswer.objects.create(
        practice=practice, topic=Topic.RESULTS, slug="results", question="Will I see my test results?",
        answer="Yes.", not_helpful=4, helpful=1,
    )  # fmt: skip
    for _ in range(3):
        receive(
            actor=ACTOR, practice=practice, route=QuestionRoute.LINK, topic=Topic.COERCION,
            text="My husband Xavier makes me show him my record", name="Zelda Quartermaine",
            mobile="07700900123", patient=patient,
        )  # fmt: skip
    receive(
        actor=ACTOR,
        practice=practice,
        route=QuestionRoute.FAQ,
        topic=Topic.RESULTS,
        text="Blood test",
        faq=faq,
    )
    meeting = _meeting(practice, _days(-30), attendees="Jean Smith, PPG chair")
    ppg.add_action(
        actor=ACTOR, practice=practice, meeting_id=meeting.pk, what="Print large-print leaflets",
        owner="Practice manager", due_on=_days(-1),
    )  # fmt: skip
    client = staff_client(Role.RECEPTION)
    answer = client.get(_url("ppg_pack", practice))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    text = _pdf_text(answer.content)
    sections = [
        "Our approach",
        "Data protection impact assessment (DPIA)",
        "Messages we are sending",
        "Questions patients ask most",
        "Open actions from our PPG meetings",
    ]
    assert [text.find(s) >= 0 for s in sections] == [True] * len(sections)
    assert [text.find(s) for s in sections] == sorted(text.find(s) for s in sections)
    assert "Opt-out" in text and "5 January 2026" in text  # the approach and when it was agreed
    started = practice.go_live_on
    assert (
        f"Online access {'started' if started <= TODAY else 'starts'} on {started.day} {started:%B %Y}"
        in text
    )
    assert "DPIA-TEST-1" in text and "Go ahead with the opt-out approach" in text and "Low" in text
    assert "Spring announcement" in text and "text message 1" in text and "letter 1" in text
    assert "delivered 1" in text
    assert (
        "Pressure to share your record 3" in text
        and "Test results before the GP has discussed them 1" in text
    )
    assert "Will I see my test results?: 4 said it did not help" in text
    assert "4 still waiting for an answer, 0 of them past the date we aimed for" in text
    assert "Print large-print leaflets" in text and "overdue" in text
    # Nothing that names, reaches or describes a patient: not the question's words, who asked or the register.
    for identifying in ["Zelda", "Quartermaine", "Xavier", "9434765919", "943 476 5919", "07700", "LS1 4AP",
                        "Blood test", "husband", "Jean Smith"]:  # fmt: skip
        assert identifying not in text, identifying
    assert (
        AuditEntry.objects.filter(action="ppg.pack_downloaded", practice_ods=practice.ods_code).count() == 1
    )


def test_the_pack_says_so_when_there_is_nothing_yet(client):
    bare = factories.practice("C83003", name="Bare Surgery")
    Dpia.objects.filter(practice=bare).delete()
    factories.sign_in(client, factories.staff(bare, Role.ADMINISTRATOR))
    text = _pdf_text(client.get(_url("ppg_pack", bare)).content)
    assert "has not yet recorded its DPIA" in text
    assert "No messages yet" in text and "No open actions" in text
    assert "0 questions" in text


def test_the_demo_holds_a_meeting_with_feedback_and_two_actions_one_done(practice):
    counted = {}
    demo_ppg.load(practice=practice, report=lambda what, n: counted.update({what: counted.get(what, 0) + n}))
    demo_ppg.load(practice=practice, report=lambda what, n: counted.update({what: counted.get(what, 0) + n}))
    (meeting,) = PpgMeeting.objects.filter(practice=practice)
    assert counted == {"PPG meetings": 1}
    assert meeting.feedback and meeting.discussed and len(meeting.attendee_lines) == 5
    assert sorted(action.done for action in meeting.actions.all()) == [False, True]
    assert [item.overdue for item in ppg.open_actions(practice)] == [False]
