"""Three of the demo practice's letter patients answer by their own link, through the same services a patient's
click uses: yes (a request), no (a 103 to code) and a question (in the question inbox). Loaded right after
outreach's demo (settings.INSTALLED_APPS), as the answers were when outreach's demo gave them."""

from recordaccess.outreach.demo import LETTERS_CAMPAIGN
from recordaccess.outreach.models import PatientReply
from recordaccess.patients.models import Preference
from recordaccess.replies.services import reply_by_link

ANSWERS = [
    (Preference.WANTS_ACCESS, ""),
    (Preference.NO_ACCESS, ""),
    (Preference.HAS_QUESTIONS, "Will my carer be able to see my record if I say yes?"),
]


def load(*, practice, report) -> None:
    campaign = practice.campaigns.filter(name=LETTERS_CAMPAIGN).first()
    if campaign is None or PatientReply.objects.filter(message__campaign=campaign).exists():
        return  # no letters to answer, or answered when the demo was first loaded
    sent = campaign.messages.exclude(reply_code="").exclude(patient__access_status="declined").order_by("pk")
    for message, (preference, question) in zip(sent, ANSWERS, strict=False):
        reply_by_link(message.reply_code, preference, question)
