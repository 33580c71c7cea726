"""The Patient Participation Group's log and pack: the reads and the changes, in one module beside the inbox's.

A meeting has a date, who came (names and roles as free text: PPG members and staff, never patient records), what
was discussed and the group's feedback; each has actions with an owner, a due date and, once done, the date it was
done. Administrators (the practice manager, the IG lead) add and change them, the rest of the practice's staff
read them (questions/staff_urls.py). Every change is audited.

The pack (`pack_context`, laid out by questions/jinja2/questions/ppg/pack.jinja) is what the practice takes to
the group: its approach, the DPIA summary, the campaigns it is sending, the questions patients ask most (counts by
topic from questions/figures.py) and the open actions. It holds no patient-identifiable data (H86): no question's
words, no name, no contact detail, only counts and the practice's own words.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from recordaccess.audit.services import Actor, changes, record
from recordaccess.core.errors import DomainError
from recordaccess.core.scoping import one_for_practice
from recordaccess.outreach.campaigns import CHANNEL_ORDER
from recordaccess.outreach.selectors import campaign_progress, practice_campaigns
from recordaccess.practices.models import Approach, Dpia
from recordaccess.questions import figures
from recordaccess.questions.models import PpgAction, PpgMeeting

EARLIEST = datetime.date(2000, 1, 1)


class PpgError(DomainError):
    """A meeting or action the log refuses, each message beside its field."""


# Reads


def meetings(practice) -> QuerySet[PpgMeeting]:
    """The practice's meetings, newest first, each with its actions."""
    return PpgMeeting.objects.filter(practice=practice).prefetch_related("actions")


def meeting_for_practice(practice, meeting_id) -> PpgMeeting:
    """One of the practice's meetings, or NotFound (another practice's looks the same as none)."""
    return one_for_practice(PpgMeeting.objects.all(), practice, meeting_id)


def action_for_practice(practice, action_id) -> PpgAction:
    return one_for_practice(
        PpgAction.objects.select_related("meeting"), practice, action_id, through="meeting__practice"
    )


@dataclass(frozen=True)
class OpenAction:
    action: PpgAction
    overdue: bool
    days_overdue: int


def open_actions(practice, today: datetime.date | None = None) -> list[OpenAction]:
    """Actions not yet done, soonest due first, each marked overdue once its due date has passed."""
    today = today or timezone.localdate()
    found = PpgAction.objects.filter(meeting__practice=practice, done_on__isnull=True).select_related(
        "meeting"
    )
    return [
        OpenAction(action, action.due_on < today, max((today - action.due_on).days, 0))
        for action in found.order_by("due_on", "id")
    ]


def overdue_action_count(practice, user=None) -> int:
    """For the home page: the PPG's actions past their due date."""
    return PpgAction.objects.filter(
        meeting__practice=practice, done_on__isnull=True, due_on__lt=timezone.localdate()
    ).count()


# Changes


def meeting_date_error(held_on: datetime.date) -> str | None:
    """What is wrong with a meeting's date on its own (forms show it beside the other answers' errors)."""
    if held_on > timezone.localdate():
        return "The meeting date must be today or in the past: the log records meetings held"
    if held_on < EARLIEST:
        return "The meeting date must be in 2000 or later"
    return None


def _check_meeting(held_on: datetime.date, attendees: str, discussed: str) -> list[tuple[str, str]]:
    errors = []
    if problem := meeting_date_error(held_on):
        errors.append(("held_on", problem))
    if not attendees.strip():
        errors.append(("attendees", "Enter who attended"))
    if not discussed.strip():
        errors.append(("discussed", "Enter what was discussed"))
    return errors


def _meeting_values(meeting: PpgMeeting) -> dict:
    return {
        "held_on": meeting.held_on.isoformat(),
        "attendees": meeting.attendees,
        "discussed": meeting.discussed,
        "feedback": meeting.feedback,
    }


@transaction.atomic
def add_meeting(
    *, actor: Actor, practice, held_on: datetime.date, attendees: str, discussed: str, feedback: str = ""
) -> PpgMeeting:
    errors = _check_meeting(held_on, attendees, discussed)
    if errors:
        raise PpgError(errors=errors)
    meeting = PpgMeeting.objects.create(
        practice=practice,
        held_on=held_on,
        attendees=attendees.strip(),
        discussed=discussed.strip(),
        feedback=feedback.strip(),
        created_by=actor.name,
    )
    record(
        actor=actor,
        action="ppg.meeting_added",
        practice_ods=practice.ods_code,
        object_type="ppg_meeting",
        object_id=meeting.pk,
        detail={"held_on": held_on.isoformat()},
    )
    return meeting


@transaction.atomic
def change_meeting(
    *,
    actor: Actor,
    practice,
    meeting_id: int,
    held_on: datetime.date,
    attendees: str,
    discussed: str,
    feedback: str = "",
) -> PpgMeeting:
    meeting = one_for_practice(PpgMeeting.objects.select_for_update(), practice, meeting_id)
    errors = _check_meeting(held_on, attendees, discussed)
    first_due = meeting.actions.order_by("due_on").values_list("due_on", flat=True).first()
    if first_due is not None and held_on > first_due and not any(f == "held_on" for f, _ in errors):
        errors.append(
            (
                "held_on",
                f"An action from this meeting is due on {first_due.day} {first_due:%B %Y}, before this date: "
                "change its due date first",
            )
        )
    first_done = meeting.actions.exclude(done_on=None).order_by("done_on").values_list("done_on", flat=True)
    first_done = first_done.first()
    if first_done is not None and held_on > first_done and not any(f == "held_on" for f, _ in errors):
        errors.append(
            (
                "held_on",
                f"An action from this meeting was done on {first_done.day} {first_done:%B %Y}, before this date",
            )
        )
    if errors:
        raise PpgError(errors=errors)
    before = _meeting_values(meeting)
    meeting.held_on = held_on
    meeting.attendees = attendees.strip()
    meeting.discussed = discussed.strip()
    meeting.feedback = feedback.strip()
    meeting.updated_by = actor.name
    meeting.save()
    record(
        actor=actor,
        action="ppg.meeting_changed",
        practice_ods=practice.ods_code,
        object_type="ppg_meeting",
        object_id=meeting.pk,
        detail={"changed": sorted(changes(before, _meeting_values(meeting)))},
    )
    return meeting


def action_date_errors(
    meeting: PpgMeeting, due_on: datetime.date | None, done: bool, done_on: datetime.date | None
) -> list[tuple[str, str]]:
    """What is wrong with an action's dates against its meeting's (forms show them beside the other errors)."""
    errors = []
    held = f"{meeting.held_on.day} {meeting.held_on:%B %Y}"
    if due_on is not None and due_on < meeting.held_on:
        errors.append(("due_on", f"The due date must be on or after the meeting ({held})"))
    elif due_on is not None and due_on > meeting.held_on + datetime.timedelta(days=5 * 366):
        errors.append(("due_on", "The due date must be within 5 years of the meeting"))
    if done and done_on is None:
        errors.append(("done_on", "Enter the date it was done"))
    elif not done and done_on is not None:
        errors.append(("done", "Tick the Done box if the action was done on that date, or clear the date"))
    elif done_on is not None and done_on < meeting.held_on:
        errors.append(("done_on", f"The date it was done must be on or after the meeting ({held})"))
    elif done_on is not None and done_on > timezone.localdate():
        errors.append(("done_on", "The date it was done must be today or in the past"))
    return errors


def _check_action(
    meeting: PpgMeeting, what: str, owner: str, due_on: datetime.date, done: bool, done_on
) -> list[tuple[str, str]]:
    errors = []
    if not what.strip():
        errors.append(("what", "Enter what is to be done"))
    if not owner.strip():
        errors.append(("owner", "Enter who will do it"))
    return errors + action_date_errors(meeting, due_on, done, done_on)


def _action_values(action: PpgAction) -> dict:
    return {
        "what": action.what,
        "owner": action.owner,
        "due_on": action.due_on.isoformat(),
        "done_on": action.done_on.isoformat() if action.done_on else None,
    }


@transaction.atomic
def add_action(
    *,
    actor: Actor,
    practice,
    meeting_id: int,
    what: str,
    owner: str,
    due_on: datetime.date,
    done: bool = False,
    done_on: datetime.date | None = None,
) -> PpgAction:
    meeting = one_for_practice(PpgMeeting.objects.select_for_update(), practice, meeting_id)
    errors = _check_action(meeting, what, owner, due_on, done, done_on)
    if errors:
        raise PpgError(errors=errors)
    action = PpgAction.objects.create(
        meeting=meeting,
        what=what.strip(),
        owner=owner.strip(),
        due_on=due_on,
        done_on=done_on if done else None,
        updated_by=actor.name,
    )
    record(
        actor=actor,
        action="ppg.action_added",
        practice_ods=practice.ods_code,
        object_type="ppg_action",
        object_id=action.pk,
        detail={"meeting": meeting.pk, "due_on": due_on.isoformat(), "done": done},
    )
    return action


@transaction.atomic
def change_action(
    *,
    actor: Actor,
    practice,
    action_id: int,
    what: str,
    owner: str,
    due_on: datetime.date,
    done: bool = False,
    done_on: datetime.date | None = None,
) -> PpgAction:
    action = one_for_practice(
        PpgAction.objects.select_for_update().select_related("meeting"),
        practice,
        action_id,
        through="meeting__practice",
    )
    errors = _check_action(action.meeting, what, owner, due_on, done, done_on)
    if errors:
        raise PpgError(errors=errors)
    before = _action_values(action)
    action.what = what.strip()
    action.owner = owner.strip()
    action.due_on = due_on
    action.done_on = done_on if done else None
    action.updated_by = actor.name
    action.save()
    after = _action_values(action)
    record(
        actor=actor,
        action="ppg.action_changed",
        practice_ods=practice.ods_code,
        object_type="ppg_action",
        object_id=action.pk,
        detail={"meeting": action.meeting_id, "changed": sorted(changes(before, after)), "done": done},
    )
    return action


# The pack


def pack_context(practice, today: datetime.date | None = None) -> dict:
    """Everything the PPG pack shows, read through the owning apps' selectors. Counts and the practice's own
    words only: nothing here names or identifies a patient (H86)."""
    today = today or timezone.localdate()
    start, _ = figures.default_range(today)
    channel_words = {"sms": "text message", "email": "email", "letter": "letter"}
    campaigns = []
    for campaign in practice_campaigns(practice).order_by("-created_at", "-id"):
        by_channel = campaign.plan.get("by_channel", {}) if isinstance(campaign.plan, dict) else {}
        campaigns.append(
            {
                "name": campaign.name,
                "status": campaign.status_label(campaign.in_outbox),
                "channels": [
                    (channel_words.get(channel, channel), by_channel.get(channel, 0))
                    for channel in CHANNEL_ORDER
                    if by_channel.get(channel)
                ],
                "recipients": campaign.plan.get("recipients", 0) if isinstance(campaign.plan, dict) else 0,
                "progress": campaign_progress(campaign, campaign.in_outbox),
                "created_on": timezone.localtime(campaign.created_at).date(),
            }
        )
    return {
        "practice": practice,
        "today": today,
        "approach": dict(Approach.choices).get(practice.approach, practice.approach),
        "dpia": Dpia.objects.filter(practice=practice).first(),
        "campaigns": campaigns,
        "figures": figures.question_figures(practice, start, today, today=today),
        "since": start,
        "actions": open_actions(practice, today),
    }
