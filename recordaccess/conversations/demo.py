"""Demo conversation times: a fortnight of slots, two mornings a week, and a drop-in session."""

import datetime

from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.conversations import services
from recordaccess.conversations.models import Kind, Mode, Slot

STAFF = Actor.system("demo-reception")


def load(*, practice, report) -> None:
    if Slot.objects.filter(practice=practice).exists():
        return
    today = timezone.localdate()
    made = 0
    for day in range(1, 15):
        date = today + datetime.timedelta(days=day)
        if date.weekday() not in (1, 3):
            continue
        for hour, minute in ((9, 0), (9, 20), (9, 40), (10, 0)):
            start = timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour, minute)))
            services.create_slot(
                actor=STAFF, practice=practice, host="Dr Patel", starts_at=start, minutes=15, mode=Mode.PHONE
            )
            made += 1
    drop_in = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=7), datetime.time(14))
    )
    services.create_slot(
        actor=STAFF,
        practice=practice,
        host="Practice team",
        starts_at=drop_in,
        minutes=120,
        mode=Mode.IN_PERSON,
        kind=Kind.DROP_IN,
        places=20,
    )
    report("conversation times", made + 1)
