"""Telling the requester we have their request, by the text or email they chose: the practice's name and the
reference, nothing about their health. Sent exactly once as a direct message (outreach/direct.py), under the
reference `ACK-<request reference>`; how it went is that message's status. Like every patient-facing item it
signposts the NHS resources, by the short link (H57)."""

from recordaccess.intake.models import AccessRequest
from recordaccess.outreach import direct
from recordaccess.outreach.selectors import nhs_help

SUBJECT = "We have your request about your GP record online"


def wording(request: AccessRequest) -> str:
    practice = request.practice
    return (
        f"{practice.name}: we have your request about seeing your GP record online. "
        f"Your reference is {request.reference_display}. We will contact you about it. "
        f"If you did not ask, call us{' on ' + practice.phone if practice.phone else ''}. "
        f"{nhs_help(practice)}"
    )


def needed(request: AccessRequest) -> str:
    """The channel to acknowledge by, or '' when the requester chose phone or letter or gave no address."""
    if request.contact_by == "sms" and request.mobile:
        return "sms"
    if request.contact_by == "email" and request.email:
        return "email"
    return ""


def reference(request: AccessRequest) -> str:
    """The acknowledgement's reference with the channel: one acknowledgement per request, whatever happens."""
    return f"ACK-{request.reference}"


def queue(request: AccessRequest) -> None:
    """Queue the acknowledgement on the one path that sends a message to one person exactly once."""
    channel = needed(request)
    if channel:
        direct.queue(
            practice=request.practice,
            reference=reference(request),
            channel=channel,
            to=direct.address(channel=channel, mobile=request.mobile, email=request.email),
            subject=SUBJECT if channel == "email" else "",
            body=wording(request),
        )
