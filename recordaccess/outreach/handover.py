"""Handing one message to its channel: the one rule every sender follows, for campaign messages (sending.py) and
for every message to one person (direct.py: decisions, bookings, reminders, acknowledgements).

A message is sent again only when the channel says it does not have it. When Notify may have taken a message but
its answer was lost (UnclearOutcome), or a worker died while the message was "sending", the message is marked
`look_up_first`: its next attempt asks the channel for its reference and sends only when there is none. That
attempt comes after the retry delay, longer than Notify's timeout, so a request Notify was still working on has
finished by then. A look-up that fails sends nothing and is tried again later. A clear refusal is sent again
later without asking; a permanent failure is never sent again.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from recordaccess.health import services as health
from recordaccess.outreach.channels import PermanentFailure, TemporaryFailure, UnclearOutcome

SENDING = "sending"  # the part /healthz names when the channel refuses, loses answers or cannot be reached


class Result(StrEnum):
    SENT = "sent"  # handed over now, or found with the channel already
    AGAIN = "again"  # not sent yet: try again at `next_attempt_at`, looking it up first if `look_up_first`
    PERMANENT = "permanent"  # this recipient cannot be reached this way
    GAVE_UP = "gave up"  # refused SEND_MAX_ATTEMPTS times


@dataclass(frozen=True)
class Outcome:
    result: Result
    attempts: int  # how many times the message has been handed over, this time included
    provider_id: str = ""
    error: str = ""
    look_up_first: bool = False
    next_attempt_at: datetime.datetime | None = None

    def unsent(self, *, again: str, permanent: str, gave_up: str) -> dict:
        """The fields to write on a message that did not go, in its own model's statuses."""
        status = {Result.AGAIN: again, Result.PERMANENT: permanent, Result.GAVE_UP: gave_up}[self.result]
        return {
            "status": status,
            "attempts": self.attempts,
            "error": self.error[:300],
            "look_up_first": self.look_up_first,
            "next_attempt_at": self.next_attempt_at,
            "updated_at": timezone.now(),
        }


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff: the base delay, doubled for each failed attempt, at most an hour."""
    return datetime.timedelta(
        seconds=min(3600, settings.SEND_RETRY_BASE_SECONDS * 2 ** (max(attempts, 1) - 1))
    )


def hand_over(channel, message, send: Callable[[], str]) -> Outcome:
    """Settle one claimed message (a Message or a DirectMessage: its `reference`, `attempts`, `look_up_first` and
    `error` say where it stands). `send` hands it to `channel` and returns the channel's id for it."""
    if message.look_up_first:
        try:
            found = channel.find(message.reference)
        except Exception as error:  # noqa: BLE001 - whatever went wrong, nothing is sent on a guess
            health.problem(SENDING, f"{_channel_name(channel)} did not answer a look-up: {_short(error)}")
            return _again(message.attempts, f"Look-up failed: {error}", look_up_first=True)
        if found:
            return Outcome(Result.SENT, message.attempts, provider_id=found)
        if message.attempts >= settings.SEND_MAX_ATTEMPTS:
            return Outcome(Result.GAVE_UP, message.attempts, error=f"Gave up: {message.error}")
    attempts = message.attempts + 1
    try:
        outcome = Outcome(Result.SENT, attempts, provider_id=send())
    except PermanentFailure as error:  # this recipient's address: the channel itself is working
        outcome = Outcome(Result.PERMANENT, attempts, error=str(error))
    except TemporaryFailure as error:
        health.problem(SENDING, f"{_channel_name(channel)} refused a message: {_short(error)}")
        if attempts >= settings.SEND_MAX_ATTEMPTS:
            return Outcome(Result.GAVE_UP, attempts, error=f"Gave up: {error}")
        return _again(attempts, str(error), look_up_first=False)
    except UnclearOutcome as error:  # never given up here: only a look-up can say it did not go
        health.problem(SENDING, f"{_channel_name(channel)}'s answer was lost: {_short(error)}")
        return _again(attempts, f"Answer lost: {error}", look_up_first=True)
    health.resolved(SENDING)
    return outcome


def _channel_name(channel) -> str:
    return type(channel).__name__.removesuffix("Channel") or "The channel"


def _short(error: Exception) -> str:
    """The failure without what was sent: a status and the channel's words, never a number or an address."""
    return str(error).split("\n")[0][:120]


def _again(attempts: int, error: str, *, look_up_first: bool) -> Outcome:
    at = timezone.now() + retry_delay(attempts)
    return Outcome(Result.AGAIN, attempts, error=error, look_up_first=look_up_first, next_attempt_at=at)
