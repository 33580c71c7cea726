import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from recordaccess.practices.models import Practice


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "In person at the practice"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"


NOTE_MAX = 2000


class Attendance(models.TextChoices):
    NOT_MARKED = "", "Not marked yet"
    ATTENDED = "attended", "Came"
    DID_NOT_COME = "did_not_come", "Did not come"


class Kind(models.TextChoices):
    CONVERSATION = "conversation", "Conversation about records access"
    DROP_IN = "drop_in", "Drop-in session"


class Slot(models.Model):
    """Time set aside for conversations about records access: one person per conversation, several at a drop-in.

    `booked` counts live bookings. It only changes in the same statement that checks it against `places`
    (conversations/services.py), and the database refuses a count above the places, so a slot is never
    over-booked however many people book at once."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="slots")
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.CONVERSATION)
    host = models.CharField(max_length=150, help_text="Who holds it: the GP, nurse or staff member.")
    starts_at = models.DateTimeField()
    minutes = models.PositiveIntegerField(default=15)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    places = models.PositiveIntegerField(default=1)
    booked = models.PositiveIntegerField(default=0)
    cancelled = models.BooleanField(default=False)
    where = models.CharField(
        max_length=200, blank=True, help_text="Where to come, for a drop-in: a room, or the address."
    )
    note = models.TextField(
        max_length=NOTE_MAX,
        blank=True,
        help_text="What people asked at the session, for the practice's own use.",
    )
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(booked__lte=F("places")), name="slot_not_overbooked"),
            models.CheckConstraint(condition=Q(places__gte=1), name="slot_has_a_place"),
        ]
        indexes = [models.Index(fields=["practice", "starts_at"], name="slot_practice_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.host}, {self.starts_at:%d %b %H:%M}"

    @property
    def free(self) -> int:
        return self.places - self.booked

    @property
    def day_and_time(self) -> str:
        """As the public pages write it: Monday 7 December 2026, 14:00 to 16:00."""
        start = timezone.localtime(self.starts_at)
        end = start + datetime.timedelta(minutes=self.minutes)
        return f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M} to {end:%H:%M}"


class Invitation(models.Model):
    """The link in a patient's message that lets them book a conversation: a random code, nothing else."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="invitations")
    code = models.CharField(max_length=16, unique=True)
    request = models.ForeignKey(
        "intake.AccessRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Invitation {self.code}"


class Booking(models.Model):
    """A place in a slot for one patient (or proxy), booked by them through their invitation or by staff."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="bookings")
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    request = models.ForeignKey(
        "intake.AccessRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    name = models.CharField(max_length=200)
    contact_by = models.CharField(max_length=10, default="sms")
    mobile = models.CharField(max_length=11, blank=True)
    email = models.EmailField(max_length=320, blank=True)
    booked_by = models.CharField(max_length=150, help_text="'patient', or the staff member who booked it.")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded = models.BooleanField(default=False)
    # A drop-in place booked from the public page: the number given (landline or mobile; texts go to a mobile
    # only), and the random code of the link that shows and cancels it.
    phone = models.CharField(max_length=11, blank=True)
    cancel_code = models.CharField(max_length=16, blank=True)
    attendance = models.CharField(max_length=15, choices=Attendance.choices, blank=True, default="")
    note = models.TextField(max_length=NOTE_MAX, blank=True)

    class Meta:
        constraints = [
            # One live booking per invitation: a second click books nothing more.
            models.UniqueConstraint(
                fields=["invitation"],
                condition=Q(cancelled_at=None, invitation__isnull=False),
                name="one_booking_per_invitation",
            ),
            # One live booking per request, whoever made it (H66).
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(cancelled_at=None, request__isnull=False),
                name="one_booking_per_request",
            ),
            # One live place per phone number per session: booking again books nothing more.
            models.UniqueConstraint(
                fields=["slot", "phone"],
                condition=Q(cancelled_at=None) & ~Q(phone=""),
                name="one_place_per_phone_per_session",
            ),
            models.UniqueConstraint(
                fields=["cancel_code"], condition=~Q(cancel_code=""), name="booking_cancel_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.slot}"
