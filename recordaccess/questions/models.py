"""Patients' questions about online access and how the practice answers them.

- `FaqAnswer`: a plain-English answer on the public questions page, with the script reception reads on a call
  (the staff call guide). A practice edits its own; until it does, the default set (questions/defaults.py) shows.
- `Question`: one question from a patient, however it came (the request form, the link in a message, a text
  reply, the questions page's "ask us" form, a call or a drop-in). It has a state, an owner and a due date, and a
  thread of `QuestionEntry` rows: what the patient asked, notes, answers sent through the one message path
  (outreach.direct, exactly once) and calls recorded. A question never sits on the clinical waiting list.
- `QuestionPolicy`: the practice's setting for how soon a question is answered.
"""

from django.conf import settings
from django.db import models

from recordaccess.practices.models import Practice


class Topic(models.TextChoices):
    """What a question is about: the default answers' topics, so the figures can say which answers need work."""

    WHAT_YOU_SEE = "what_you_see", "What online access shows"
    PAST_RECORD = "past_record", "New entries and the full past record"
    TERMS = "terms", "Abbreviations and medical terms"
    RESULTS = "results", "Test results before the GP has discussed them"
    SOMETHING_WRONG = "something_wrong", "Something wrong, upsetting or about someone else"
    TURN_OFF = "turn_off", "Turning access off or asking for less"
    PROXY = "proxy", "Access for children, carers and others"
    COERCION = "coercion", "Pressure to share your record"
    HOW_LONG = "how_long", "How long a request takes"
    OTHER = "other", "Something else"


class QuestionRoute(models.TextChoices):
    FORM = "form", "Request form"
    LINK = "link", "Link in our message"
    SMS = "sms", "Text message reply"
    FAQ = "faq", "Questions page ('ask us')"
    CALL = "call", "Phone call"
    DROP_IN = "drop_in", "Drop-in session"


class QuestionState(models.TextChoices):
    NEW = "new", "New"
    ASSIGNED = "assigned", "Assigned"
    WAITING = "waiting", "Waiting for the patient"
    ANSWERED = "answered", "Answered"
    CLINICIAN = "clinician", "Passed to a clinician"


OPEN_STATES = (QuestionState.NEW, QuestionState.ASSIGNED, QuestionState.WAITING, QuestionState.CLINICIAN)


class ContactBy(models.TextChoices):
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    PHONE = "phone", "Phone call"


class FaqAnswer(models.Model):
    """One answer on a practice's questions page, and the call guide's script for it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="faq_answers")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    slug = models.SlugField(max_length=80)
    position = models.PositiveIntegerField(default=0)
    question = models.CharField(max_length=200)
    answer = models.TextField(
        max_length=5000, help_text="Plain English; a blank line starts a new paragraph."
    )
    # The staff call guide
    script = models.TextField(max_length=3000, blank=True, help_text="What reception reads on a call.")
    may_say = models.TextField(max_length=2000, blank=True)
    may_not_say = models.TextField(max_length=2000, blank=True)
    pass_to_clinician = models.TextField(max_length=2000, blank=True, help_text="When to pass the call on.")
    published = models.BooleanField(default=True)
    helpful = models.PositiveIntegerField(default=0, help_text="Patients who said the answer helped.")
    not_helpful = models.PositiveIntegerField(default=0)
    updated_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["practice", "slug"], name="faq_slug_per_practice")]

    def __str__(self) -> str:
        return self.question


class QuestionPolicy(models.Model):
    """How soon the practice answers a question: the due date of each new one."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="question_policy")
    answer_within_days = models.PositiveIntegerField(default=3)
    updated_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Answer within {self.answer_within_days} days"


class Question(models.Model):
    """A patient's question and everything done about it. Contact details are the asker's, kept to answer."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="questions")
    reference = models.CharField(max_length=12, unique=True)
    route = models.CharField(max_length=10, choices=QuestionRoute.choices)
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.OTHER)
    text = models.TextField(max_length=2000)
    state = models.CharField(max_length=10, choices=QuestionState.choices, default=QuestionState.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    # Who asked and how to answer them
    name = models.CharField(max_length=200, blank=True)
    contact_by = models.CharField(max_length=10, choices=ContactBy.choices, default=ContactBy.SMS)
    mobile = models.CharField(max_length=11, blank=True)
    phone = models.CharField(max_length=11, blank=True)
    email = models.EmailField(max_length=320, blank=True)
    address = models.TextField(max_length=500, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    # Where it came from and what it became
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="questions"
    )
    request = models.ForeignKey(
        "intake.AccessRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    reply = models.OneToOneField(
        "outreach.PatientReply", null=True, blank=True, on_delete=models.SET_NULL, related_name="question"
    )
    faq = models.ForeignKey(
        FaqAnswer, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    became = models.CharField(
        max_length=20, blank=True, help_text="'request' or 'decline' when the question turned into one."
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "asked_at", "id"]
        indexes = [
            models.Index(fields=["practice", "state", "due_on"], name="question_inbox"),
            models.Index(fields=["practice", "asked_at"], name="question_asked"),
        ]

    def __str__(self) -> str:
        return self.reference


class EntryKind(models.TextChoices):
    ASKED = "asked", "The patient asked"
    NOTE = "note", "Note"
    ANSWER = "answer", "Answer sent"
    CALL = "call", "Call recorded"
    STATE = "state", "Change"


class QuestionEntry(models.Model):
    """One line of a question's thread. An answer sent points at its direct message (sent exactly once)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    channel = models.CharField(max_length=10, blank=True)
    text = models.TextField(max_length=5000)
    by = models.CharField(max_length=150)
    direct_message = models.ForeignKey(
        "outreach.DirectMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.by}"


# The Patient Participation Group's log (questions/ppg.py): meetings with the practice's PPG, what was discussed,
# the group's feedback and the actions agreed. Attendees are written as names and roles, never patient records.


class PpgMeeting(models.Model):
    """One meeting of the practice's Patient Participation Group."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="ppg_meetings")
    held_on = models.DateField()
    attendees = models.TextField(max_length=2000, help_text="Names and roles, one on each line.")
    discussed = models.TextField(max_length=5000)
    feedback = models.TextField(max_length=5000, blank=True)
    created_by = models.CharField(max_length=150)
    updated_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["practice", "held_on"], name="ppg_meeting_held")]

    def __str__(self) -> str:
        return f"PPG meeting on {self.held_on:%d %B %Y}"

    @property
    def attendee_lines(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class PpgAction(models.Model):
    """Something agreed at a PPG meeting: what, who does it, by when, and when it was done (empty while open)."""

    meeting = models.ForeignKey(PpgMeeting, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(max_length=500)
    owner = models.CharField(max_length=150)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    updated_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.what

    @property
    def done(self) -> bool:
        return self.done_on is not None
