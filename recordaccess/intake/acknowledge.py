"""Telling the requester we have their request, by the text or email they chose: the practice's name and the
reference, nothing about their health. Sent at most once: the request is marked "sending" (committed) before
the channel is called, so a crash leaves it for staff to see rather than sending it again."""

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from recordaccess.intake.models import AccessRequest
from recordaccess.outreach.channels import PermanentFailure, Rendered, TemporaryFailure
from recordaccess.patients.contacts import format_uk_mobile

SUBJECT = "We have your request about your GP record online"


def wording(request: AccessRequest) -> str:
    practice = request.practice
    return (
        f"{practice.name}: we have your request about seeing your GP record online. "
        f"Your reference is {request.reference_display}. We will contact you about it. "
        f"If you did not ask, call us{' on ' + practice.phone if practice.phone else ''}."
    )


def needed(request: AccessRequest) -> str:
    """The channel to acknowledge by, or '' when the requester chose phone or letter or gave no address."""
    if request.contact_by == "sms" and request.mobile:
        return "sms"
    if request.contact_by == "email" and request.email:
        return "email"
    return ""


def queue(request: AccessRequest) -> None:
    if needed(request):
        AccessRequest.objects.filter(pk=request.pk, acknowledgement="").update(acknowledgement="queued")
        transaction.on_commit(lambda: acknowledge_request.enqueue(request.pk))


@task
def acknowledge_request(request_id: int) -> str:
    from recordaccess.outreach.tasks import message_channel

    with transaction.atomic():
        claimed = AccessRequest.objects.filter(pk=request_id, acknowledgement="queued").update(
            acknowledgement="sending"
        )
    if not claimed:
        return "already handled"
    request = AccessRequest.objects.select_related("practice").get(pk=request_id)
    channel = needed(request)
    to = format_uk_mobile(request.mobile) if channel == "sms" else request.email
    try:
        message_channel().send_direct(
            practice=request.practice,
            channel=channel,
            reference=f"ACK-{request.reference}",
            rendered=Rendered(to=to, subject=SUBJECT if channel == "email" else "", body=wording(request)),
        )
    except TemporaryFailure:
        AccessRequest.objects.filter(pk=request_id).update(acknowledgement="queued")
        raise  # the task backend's retry, or the next run, takes it again
    except PermanentFailure:
        AccessRequest.objects.filter(pk=request_id).update(acknowledgement="failed")
        return "failed"
    AccessRequest.objects.filter(pk=request_id).update(acknowledgement="sent", acknowledged_at=timezone.now())
    return "sent"
