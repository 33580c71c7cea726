"""Demo data for the Patient Participation Group's log: one meeting with what was discussed, the group's feedback
and two actions, one done. The lead folds `load` into questions/demo.py."""

import datetime

from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.questions import ppg
from recordaccess.questions.models import PpgMeeting

STAFF = Actor.system("demo-practice-manager")


def load(practice, report) -> None:
    if PpgMeeting.objects.filter(practice=practice).exists():
        report("PPG meetings", 0)
        return
    today = timezone.localdate()
    held_on = today - datetime.timedelta(days=21)
    meeting = ppg.add_meeting(
        actor=STAFF,
        practice=practice,
        held_on=held_on,
        attendees="Jean Smith, PPG chair\nAmir Khan, PPG member\nRuth Evans, PPG member\n"
        "Sam Taylor, practice manager\nDr Priya Patel, GP partner",
        discussed="How the practice will offer online access to records: the opt-out approach, what patients "
        "will see and when, and how to ask for less or turn access off.\n"
        "The questions patients ask most, and the draft answers for the questions page.\n"
        "The text message and letter the practice will send.",
        feedback="The group welcomed the plain-English answers and asked for a large-print leaflet at reception. "
        "Members worried that carers would not know how to ask for proxy access, and that older patients "
        "may find the text message confusing without a phone number to call.",
    )
    ppg.add_action(
        actor=STAFF,
        practice=practice,
        meeting_id=meeting.pk,
        what="Put large-print leaflets about online access at reception",
        owner="Sam Taylor, practice manager",
        due_on=held_on + datetime.timedelta(days=14),
        done=True,
        done_on=held_on + datetime.timedelta(days=10),
    )
    ppg.add_action(
        actor=STAFF,
        practice=practice,
        meeting_id=meeting.pk,
        what="Add a question about proxy access for carers to the questions page and bring it to the next meeting",
        owner="Jean Smith, PPG chair, with the practice manager",
        due_on=held_on + datetime.timedelta(days=42),
    )
    report("PPG meetings", 1)
