"""Reminders before a booked conversation, sent once through outreach's direct messages."""

from django.db import transaction
from django.tasks import task

from recordaccess.conversations import services
from recordaccess.conversations.models import Booking


@task
def remind_bookings() -> int:
    """With every heartbeat: remind each booking starting within BOOKING_REMINDER_HOURS, once (the booking is
    marked reminded in the same transaction that queues the message, whose reference is unique)."""
    sent = 0
    for booking in services.due_reminders():
        with transaction.atomic():
            if not Booking.objects.filter(pk=booking.pk, reminded=False).update(reminded=True):
                continue  # another worker took it
            services.tell(booking, "REM", "is on")
        sent += 1
    return sent


PERIODIC_TASKS = [remind_bookings]  # enqueued with every heartbeat of the worker
