"""Where messages go. Each channel hands one message over and can say whether it already has one by reference,
which is how a message left "sending" by a crashed worker is settled without sending it twice."""

from dataclasses import dataclass

from recordaccess.outreach.models import Message, OutboxItem


class TemporaryFailure(Exception):
    """Try again later: the service was busy or down."""


class PermanentFailure(Exception):
    """This recipient cannot be reached this way (invalid number, permanent bounce)."""


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
        item = OutboxItem.objects.filter(message__reference=reference).first()
        return f"outbox-{item.pk}" if item else None
