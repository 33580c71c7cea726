"""Acknowledgements move onto the one path that sends a message to one person (outreach.DirectMessage, reference
ACK-<request reference>). Each acknowledgement a request recorded becomes that message, in the state it had:
sent and failed ones as a record; queued ones to be sent; one left "sending" by a crash (it may have gone) to be
looked up by its reference at Notify before anything is sent. The wording is the one in use when this ran."""

from django.db import migrations
from django.utils import timezone

SUBJECT = "We have your request about your GP record online"


def _wording(request) -> str:
    practice, code = request.practice, request.reference.upper()
    return (
        f"{practice.name}: we have your request about seeing your GP record online. "
        f"Your reference is {code[:4]}-{code[4:]}. We will contact you about it. "
        f"If you did not ask, call us{' on ' + practice.phone if practice.phone else ''}."
    )


def to_direct_messages(apps, schema_editor):
    AccessRequest = apps.get_model("intake", "AccessRequest")
    DirectMessage = apps.get_model("outreach", "DirectMessage")
    now = timezone.now()
    for request in AccessRequest.objects.exclude(acknowledgement="").select_related("practice").iterator():
        channel = "email" if request.contact_by == "email" else "sms"
        mobile = request.mobile
        to = (
            request.email
            if channel == "email"
            else (f"{mobile[:5]} {mobile[5:]}" if len(mobile) == 11 else mobile)
        )
        state = request.acknowledgement
        DirectMessage.objects.get_or_create(
            reference=f"ACK-{request.reference}",
            defaults={
                "practice_id": request.practice_id,
                "channel": channel,
                "to": to,
                "subject": SUBJECT if channel == "email" else "",
                "body": _wording(request),
                "status": {"sent": "sent", "failed": "failed"}.get(state, "queued"),
                "sent_at": request.acknowledged_at if state == "sent" else None,
                "look_up_first": state == "sending",
                "next_attempt_at": now if state in ("queued", "sending") else None,
            },
        )


def from_direct_messages(apps, schema_editor):
    AccessRequest = apps.get_model("intake", "AccessRequest")
    DirectMessage = apps.get_model("outreach", "DirectMessage")
    for message in DirectMessage.objects.filter(reference__startswith="ACK-").iterator():
        AccessRequest.objects.filter(reference=message.reference.removeprefix("ACK-")).update(
            acknowledgement=message.status, acknowledged_at=message.sent_at
        )
    DirectMessage.objects.filter(reference__startswith="ACK-").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0008_waiting_count_index"),
        ("outreach", "0012_look_up_first"),
    ]

    operations = [
        migrations.RunPython(to_direct_messages, from_direct_messages),
        migrations.RemoveField(model_name="accessrequest", name="acknowledged_at"),
        migrations.RemoveField(model_name="accessrequest", name="acknowledgement"),
    ]
