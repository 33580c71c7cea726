"""What the patient is told about a decision: never the reason, the level or anything clinical (a text or an
email can be read by someone else). The detail is for a conversation, and the progress page says no more. Every
message signposts the NHS resources by the short link (H57)."""

from recordaccess.outreach.selectors import nhs_help
from recordaccess.review.models import Outcome

SUBJECT = "About your request to see your GP record online"


def decision_body(decision, *, booking_link: str = "") -> str:
    request, practice = decision.request, decision.practice
    call = f" call us on {practice.phone}" if practice.phone else " contact us"
    opening = f"{practice.name}: about your request {request.reference_display} to see your GP record online."
    if decision.outcome in (Outcome.GRANTED, Outcome.GRANTED_REDACTED):
        when = decision.access_from.strftime("%-d %B %Y") if decision.access_from else "now"
        text = (
            f"You can see more of your record in the NHS App from {when}. If you did not ask for this, or "
            f"something in it looks wrong or is not about you, please{call}."
        )
    elif decision.outcome == Outcome.PATIENT_DECLINED:
        text = "We have noted that you do not want online access. You can change your mind at any time."
    elif decision.outcome == Outcome.DEFERRED and decision.conversation_needed and booking_link:
        text = f"We would like to talk with you about it first. Choose a time that suits you: {booking_link}"
    elif decision.outcome == Outcome.DEFERRED:
        when = decision.defer_until.strftime("%-d %B %Y") if decision.defer_until else "soon"
        text = f"We need a little longer. We will contact you again by {when}."
    else:
        text = f"We would like to talk with you about it. Please{call}."
    return f"{opening} {text} {nhs_help(practice)}"
