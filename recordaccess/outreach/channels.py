"""Where messages go. Each channel hands one message over and can say whether it already has one by reference,
which is how a message whose answer was lost, or that a crashed worker left "sending", is settled without
sending it twice (outreach/handover.py)."""

import io
from dataclasses import dataclass

from recordaccess.outreach.letters import letter_for, letter_pdf
from recordaccess.outreach.models import Message, OutboxItem


class TemporaryFailure(Exception):
    """Notify clearly did not take it (it refused it for now, or we never reached it): send it again later."""


class PermanentFailure(Exception):
    """This recipient cannot be reached this way (invalid number, permanent bounce)."""


class UnclearOutcome(Exception):
    """Notify may have taken it, but its answer was lost (a 5xx, a timeout, a reset connection, an answer we could
    not read): look it up by reference before it is ever sent again."""


@dataclass(frozen=True)
class Rendered:
    to: str
    subject: str
    body: str


class OutboxChannel:
    """The embedded default: messages are recorded for the staff outbox page instead of leaving the building."""

    name = "outbox"

    def send(self, message: Message, rendered: Rendered) -> str:
        item = OutboxItem.objects.create(
            message=message, to=rendered.to, subject=rendered.subject, body=rendered.body
        )
        return f"outbox-{item.pk}"

    def find(self, reference: str) -> str | None:
        item = (
            OutboxItem.objects.filter(message__reference=reference).first()
            or OutboxItem.objects.filter(message=None, reference=reference).first()
        )
        return f"outbox-{item.pk}" if item else None

    def send_direct(self, *, practice, channel: str, reference: str, rendered: Rendered) -> str:
        """One text, email or letter that is not part of a campaign (an acknowledgement, say)."""
        item = OutboxItem.objects.create(
            practice=practice,
            channel=channel,
            reference=reference,
            to=rendered.to,
            subject=rendered.subject,
            body=rendered.body,
        )
        return f"outbox-{item.pk}"


class NotifyChannel:
    """GOV.UK Notify. Our templates stay the source of truth: Notify's SMS template is a single ((body))
    placeholder, and its email template ((subject)) and ((body)). Letters go as precompiled PDFs that meet
    Notify's letter specification, or, with NOTIFY_LETTERS off, to the outbox for printing in-house."""

    rate_limited = True

    def __init__(self):
        from django.conf import settings

        self.name = settings.NOTIFY_LIMITS_KEY  # whose rate and daily allowances this channel counts against
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.NOTIFY_TIMEOUT_SECONDS,
        )
        self.templates = {"sms": settings.NOTIFY_SMS_TEMPLATE_ID, "email": settings.NOTIFY_EMAIL_TEMPLATE_ID}
        self.letters = None if settings.NOTIFY_LETTERS else OutboxChannel()
        self.postage = settings.NOTIFY_LETTER_POSTAGE

    def send(self, message: Message, rendered: Rendered) -> str:
        if message.channel == "letter" and self.letters:
            return self.letters.send(message, rendered)
        try:
            if message.channel == "letter":
                pdf = letter_pdf(message.campaign.practice, letter_for(message, rendered))
                response = self.client.send_precompiled_letter_notification(
                    reference=message.reference, pdf_file=io.BytesIO(pdf), postage=self.postage
                )
            else:
                return self.send_direct(
                    practice=None, channel=message.channel, reference=message.reference, rendered=rendered
                )
        except (TemporaryFailure, PermanentFailure, UnclearOutcome):
            raise
        except Exception as error:
            raise classify(error) from error
        return response["id"]

    def send_direct(self, *, practice, channel: str, reference: str, rendered: Rendered) -> str:
        """A text or an email through Notify's one-placeholder templates; a letter as a precompiled PDF (or,
        with NOTIFY_LETTERS off, to the outbox for printing)."""
        if channel == "letter" and self.letters:
            return self.letters.send_direct(
                practice=practice, channel=channel, reference=reference, rendered=rendered
            )
        try:
            if channel == "letter":
                pdf = letter_pdf(practice, letter_for(reference, rendered))
                response = self.client.send_precompiled_letter_notification(
                    reference=reference, pdf_file=io.BytesIO(pdf), postage=self.postage
                )
            elif channel == "sms":
                response = self.client.send_sms_notification(
                    phone_number=rendered.to,
                    template_id=self.templates["sms"],
                    personalisation={"body": rendered.body},
                    reference=reference,
                )
            else:
                response = self.client.send_email_notification(
                    email_address=rendered.to,
                    template_id=self.templates["email"],
                    personalisation={"subject": rendered.subject, "body": rendered.body},
                    reference=reference,
                )
        except (TemporaryFailure, PermanentFailure, UnclearOutcome):
            raise
        except Exception as error:
            raise classify(error) from error
        return response["id"]

    def find(self, reference: str) -> str | None:
        if self.letters and (found := self.letters.find(reference)):
            return found
        found = self.client.get_all_notifications(reference=reference).get("notifications", [])
        return found[0]["id"] if found else None


def classify(error: Exception) -> Exception:
    """Notify's answer, sorted. Only a clear refusal, an answer 4xx (or a request that never left), means Notify
    did not take the message: a patient's bad number is permanent for that patient; anything else refused (rate
    limit, our own key or template being wrong) is temporary and must not mark the patient unreachable. Every other
    outcome is unclear, because Notify may have taken the message before the answer was lost."""
    status = getattr(error, "status_code", None)
    text = str(getattr(error, "message", "") or error)
    if getattr(error, "response", None) is not None and 400 <= status < 500:
        if status == 400 and any(field in text for field in ("phone_number", "email_address")):
            return PermanentFailure(text)
        return TemporaryFailure(f"{status}: {text}")
    if _never_sent(error):
        return TemporaryFailure(f"not sent: {error.__cause__ or text}")
    return UnclearOutcome(f"{status or 'no answer'}: {text}")


def _never_sent(error: Exception) -> bool:
    """The request never left: our key could not sign it, or no connection could be opened, so Notify cannot have
    the message."""
    import requests
    from notifications_python_client.errors import TokenError
    from urllib3.exceptions import NewConnectionError

    if isinstance(error, TokenError):
        return True
    cause = error.__cause__
    if isinstance(cause, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(cause, requests.ConnectionError) or not cause.args:
        return False
    return isinstance(getattr(cause.args[0], "reason", None), NewConnectionError)
