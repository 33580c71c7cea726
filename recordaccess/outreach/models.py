from django.db import models

from recordaccess.practices.models import Practice


class Channel(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    POSTER = "poster", "Waiting-room poster"
    WEBSITE = "website", "Website notice"
    SOCIAL = "social", "Social media post"
    SCRIPT = "script", "Consultation script"
    SNIPPET = "snippet", "Snippet for newsletters, prescription slips and email signatures"


class Purpose(models.TextChoices):
    ANNOUNCEMENT = "announcement", "Telling patients about online access"
    ENHANCED_REVIEW = "enhanced_review", "Patients under enhanced review: you can still ask"
    PRESSURE = "pressure", "If someone is pressuring you"
    REPORT_ERROR = "report_error", "If something in your record is wrong"
    TURN_OFF = "turn_off", "How to turn access off"


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class MessageTemplate(models.Model):
    """A message in one channel. Only an approved template, which passed the content rules, can be sent."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="message_templates")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.ANNOUNCEMENT)
    higher_risk = models.BooleanField(default=False, help_text="Hybrid: for patients judged at higher risk.")
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT)
    updated_by = models.CharField(max_length=150)
    # Who last changed its words by hand (blank for the default wording as installed): never its approver (H69).
    edited_by = models.CharField(max_length=150, blank=True)
    approved_by = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    withdrawn_note = models.TextField(
        blank=True, help_text="Why approval was withdrawn when the practice changed its approach."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="one_template_name_per_practice")
        ]
        ordering = ["purpose", "channel", "name"]

    def __str__(self) -> str:
        return self.name


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved, ready to send"
    SENDING = "sending", "Sending"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Sent"


# What a campaign's and its messages' states are called when its channel was the outbox (no Notify account):
# nothing reached a patient, so nothing may be called sent (H70).
OUTBOX_CAMPAIGN_LABELS = {
    "sending": "Recording in the outbox",
    "completed": "Recorded in the outbox, not sent",
}
OUTBOX_MESSAGE_LABELS = {
    "sending": "Being recorded in the outbox",
    "sent": "Recorded in the outbox, not sent",
}


class Campaign(models.Model):
    """A named mailing to a cohort, one message per patient by the channel that suits them."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=120)
    cohort = models.ForeignKey("patients.Cohort", on_delete=models.PROTECT, related_name="campaigns")
    sms_template = models.ForeignKey(
        MessageTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email_template = models.ForeignKey(
        MessageTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    letter_template = models.ForeignKey(
        MessageTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The wording for patients who need enhanced review: hybrid's higher-risk (opt-in) announcement, or in an
    # opt-out practice the enhanced-review message ("you can still ask"). Never the default announcement.
    sms_review_template = models.ForeignKey(
        MessageTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    email_review_template = models.ForeignKey(
        MessageTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    letter_review_template = models.ForeignKey(
        MessageTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    skip_told_within_days = models.PositiveIntegerField(
        default=30, help_text="Leave out patients told this recently."
    )
    window_start = models.TimeField(default="08:00")
    window_end = models.TimeField(default="20:00")
    send_on_sundays = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    created_by = models.CharField(max_length=150)
    approved_by = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    plan = models.JSONField(default=dict, blank=True, help_text="Counts per channel and per reason left out.")
    built_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(
        null=True, blank=True, help_text="When an approved campaign starts sending by itself (H71)."
    )
    schedule_note = models.CharField(
        max_length=500, blank=True, help_text="Why a scheduled start did not happen, for the administrator."
    )
    next_run_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the sending task has put itself off until (window, retry, limit).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="one_campaign_name_per_practice")
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def status_label(self, in_outbox: bool = False) -> str:
        """Its state in words; a campaign whose messages went to the outbox is never called sent."""
        if in_outbox and self.status in OUTBOX_CAMPAIGN_LABELS:
            return OUTBOX_CAMPAIGN_LABELS[self.status]
        return self.get_status_display()

    def template_for(self, channel: str, *, review: bool = False) -> MessageTemplate | None:
        if review:
            return {
                "sms": self.sms_review_template,
                "email": self.email_review_template,
                "letter": self.letter_review_template,
            }.get(channel)
        return {"sms": self.sms_template, "email": self.email_template, "letter": self.letter_template}.get(
            channel
        )


class CampaignSender(models.Model):
    """One sending task's lease on a campaign. A live task renews it every batch; a task put off until later
    holds it until then. A lease that runs out means the task's worker died, and the workers' heartbeat starts
    another, so a campaign keeps SEND_WORKERS tasks sending however many workers are killed."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="senders")
    lease_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"sender {self.pk} of {self.campaign_id} until {self.lease_until:%H:%M:%S}"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Handing to Notify"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    TEMPORARY_FAILURE = "temporary-failure", "Not delivered yet"
    PERMANENT_FAILURE = "permanent-failure", "Could not be delivered"
    TECHNICAL_FAILURE = "technical-failure", "Failed"


class Message(models.Model):
    """One message to one patient in one campaign: at most one per patient per campaign, by constraint."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="messages")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="messages")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    format = models.CharField(max_length=20, blank=True, help_text="large_print, easy_read or interpreter.")
    review_wording = models.BooleanField(  # a database default too: campaign approval writes rows in bulk
        db_default=False,
        help_text="The patient needs enhanced review: sent the campaign's review template, not the default.",
    )
    reference = models.CharField(
        max_length=40, unique=True, help_text="Our idempotent reference, sent to Notify."
    )
    reply_code = models.CharField(
        max_length=12, unique=True, null=True, blank=True, help_text="In the patient's own preference link."
    )
    status = models.CharField(max_length=20, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    notify_id = models.CharField(max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="After a temporary failure.")
    look_up_first = models.BooleanField(  # a database default too: campaign approval writes rows in bulk
        db_default=False,
        help_text="It may have gone: ask the channel for its reference before sending it again.",
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "patient"], name="one_message_per_patient")
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="message_campaign_status")]

    def __str__(self) -> str:
        return self.reference


# How each message outside a campaign starts its reference (its sender's `direct.queue` call), and what it is.
DIRECT_KINDS = {
    "ACK": "Acknowledgement",  # intake/acknowledge.py
    "DEC": "Decision",  # review/decisions.py
    "ANS": "Reply to their answer",  # replies/services.py
    "question": "Answer to their question",  # questions/services.py
    "BKG": "Booking confirmation",  # conversations/services.py
    "REM": "Reminder",  # conversations/tasks.py
    "STAFF": "Email to a member of staff",  # practices/notices.py
}


class OutboxItem(models.Model):
    """What the embedded outbox channel "sent": the whole flow works, and can be read, with no Notify account."""

    message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="outbox_item"
    )
    # For a message outside a campaign (an acknowledgement): whose it is, how it went, and its reference.
    practice = models.ForeignKey(Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, blank=True)
    reference = models.CharField(max_length=40, blank=True)
    to = models.CharField(max_length=320)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.message.reference if self.message else self.reference} to {self.to}"

    @property
    def channel_label(self) -> str:
        """The channel by name (text message, email, letter): a campaign's by its message, any other by its own."""
        return self.message.get_channel_display() if self.message else Channel(self.channel).label

    @property
    def kind(self) -> str:
        """What a message outside a campaign is, read from its reference (outreach/direct.py's callers start each
        reference with one of DIRECT_KINDS): a decision must never read as an acknowledgement."""
        return DIRECT_KINDS.get(self.reference.split("-", 1)[0], "Message to one person")


class SendAllowance(models.Model):
    """How much of a rate limit is used in one window, shared by every worker through the database."""

    key = models.CharField(max_length=60)
    window = models.DateTimeField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="one_allowance_per_window")]

    def __str__(self) -> str:
        return f"{self.key} {self.window:%H:%M:%S}: {self.used}"


class PrintStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Making the PDF"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class LetterPrint(models.Model):
    """One PDF of all a campaign's letters in the outbox, for printing in-house, made in the background."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="prints")
    requested_by = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=PrintStatus.choices, default=PrintStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    path = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Queued again after the disk was full (H127), or its task could not be queued: the heartbeat's sweep
    # (tasks.retry_letter_prints) queues it again from this time.
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.campaign} letters ({self.get_status_display()})"

    @property
    def percent_done(self) -> int:
        if self.status == PrintStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class ReplySource(models.TextChoices):
    LINK = "link", "Preference link"
    SMS = "sms", "Text message reply"
    # A "no thank you" not in answer to a message: ticked on the request form, or told to staff and recorded
    # from the question inbox (questions/services.py).
    FORM = "form", "Request form"
    STAFF = "staff", "Told a member of staff"


class ReplyStatus(models.TextChoices):
    RECORDED = "recorded", "Recorded on the patient's record"
    NEEDS_REVIEW = "needs_review", "Needs a person to read it"
    UNMATCHED = "unmatched", "From a number we did not message"


class PatientReply(models.Model):
    """A patient's answer to a campaign: by their preference link or a text message back. Every reply is kept,
    including those that could not safely be put on a record, for staff to read."""

    practice = models.ForeignKey(Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    source = models.CharField(max_length=10, choices=ReplySource.choices)
    preference = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=20, choices=ReplyStatus.choices)
    text = models.TextField(blank=True, help_text="What the patient wrote, for text message replies.")
    from_number = models.CharField(max_length=20, blank=True)
    notify_id = models.CharField(max_length=40, unique=True, null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    # What the answer became (replies/services.py `follow`): a "yes" its request, a "no" the open request it
    # closed; a question, once answered.
    request = models.ForeignKey(
        "intake.AccessRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True, help_text="When staff answered the question.")
    answered_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} ({self.get_status_display()})"


class DirectStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class DirectMessage(models.Model):
    """One message to one person outside a campaign: an acknowledgement, a decision, a booking, a reminder
    (outreach/direct.py).

    The reference is unique, so asking to send the same message twice queues it once; the row is claimed
    (queued → sending, committed) before the channel is called, and after a lost answer it is looked up by
    reference before it is sent again, so it is sent exactly once.
    """

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="direct_messages")
    reference = models.CharField(max_length=40, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = models.CharField(
        max_length=500, help_text="A mobile, an email address, or a letter's address lines."
    )
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=DirectStatus.choices, default=DirectStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="After a temporary failure.")
    look_up_first = models.BooleanField(  # a database default too: campaign approval writes rows in bulk
        db_default=False,
        help_text="It may have gone: ask the channel for its reference before sending it again.",
    )
    notify_id = models.CharField(max_length=60, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "updated_at"], name="direct_status")]

    def __str__(self) -> str:
        return f"{self.reference} ({self.status})"
