from django.db import models

from recordaccess.practices.models import Practice


class Answer(models.TextChoices):
    """A checklist answer: '' until the reviewer gives one."""

    NONE_FOUND = "none", "None found"
    FOUND = "found", "Found"


class ProxyCapacity(models.TextChoices):
    CONSENTS = "consents", "The patient has capacity and consents to this proxy"
    LACKS_CAPACITY = "lacks_capacity", "The patient lacks capacity; the proxy's legal authority is recorded"
    CHILD_UNDER_11 = "child_under_11", "A child under 11: the parent's responsibility is recorded"
    CHILD_ASSESSED = "child_assessed", "A child of 11 to 15: competence and wishes assessed"


class Review(models.Model):
    """Who holds a request for review, and the review checklist (review/checklist.py says when it is complete).

    A reviewer claims a request from the waiting list and may release it back. Each answer starts blank: a
    blank is "not considered yet", never "none found"."""

    request = models.OneToOneField("intake.AccessRequest", on_delete=models.CASCADE, related_name="review")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.CharField(
        max_length=150, blank=True, help_text="Who holds it now ('' when released or decided)."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    first_claimed_at = models.DateTimeField(null=True, blank=True)
    # The checklist
    flags_considered = models.BooleanField(
        default=False, help_text="The patient's safeguarding and enhanced-review flags were considered."
    )
    third_party = models.CharField(max_length=5, choices=Answer.choices, blank=True)
    third_party_note = models.TextField(max_length=1000, blank=True, help_text="The entries to redact.")
    third_party_by = models.CharField(max_length=150, blank=True, help_text="The reviewer who answered.")
    serious_harm = models.CharField(max_length=5, choices=Answer.choices, blank=True)
    serious_harm_note = models.TextField(max_length=1000, blank=True, help_text="What, and the entries.")
    serious_harm_by = models.CharField(max_length=150, blank=True, help_text="The reviewer who answered.")
    consulted = models.CharField(
        max_length=300, blank=True, help_text="The health professional(s) consulted on serious harm."
    )
    coercion = models.CharField(max_length=5, choices=Answer.choices, blank=True)
    coercion_note = models.TextField(max_length=1000, blank=True)
    coercion_by = models.CharField(max_length=150, blank=True, help_text="The reviewer who answered.")
    results_pending = models.CharField(max_length=5, choices=Answer.choices, blank=True)
    results_note = models.TextField(max_length=1000, blank=True, help_text="Results to discuss first.")
    proxy_capacity = models.CharField(max_length=20, choices=ProxyCapacity.choices, blank=True)
    proxy_note = models.TextField(max_length=1000, blank=True)
    updated_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The overview's "requests you have claimed": a small partial index, one entry a request held now.
        indexes = [
            models.Index(
                fields=["practice", "reviewer"], condition=~models.Q(reviewer=""), name="review_claimed"
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.request}"


class Outcome(models.TextChoices):
    GRANTED = "granted", "Access granted"
    GRANTED_REDACTED = "granted_redacted", "Access granted after redaction"
    DEFERRED = "deferred", "Deferred"
    DECLINED = "declined", "Declined"
    PATIENT_DECLINED = "patient_declined", "The patient does not want access"


class PatientMessage(models.TextChoices):
    WAITING = "waiting", "Sent once the redactions are done"
    QUEUED = "queued", "Sent"
    WITHHELD = "withheld", "Withheld for safety"
    NO_CONTACT = "no_contact", "No way to contact them: tell them in person"
    ANSWERED = "answered", "Told on the page or by the text they answered with"


class Decision(models.Model):
    """The outcome of a review, once: one per request, against the patient the request was matched to."""

    request = models.OneToOneField("intake.AccessRequest", on_delete=models.PROTECT, related_name="decision")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="decisions")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    access_level = models.CharField(max_length=15, blank=True)
    access_from = models.DateField(null=True, blank=True)
    redactions = models.TextField(max_length=2000, blank=True, help_text="The entries to redact, whole.")
    redacted_at = models.DateTimeField(null=True, blank=True)
    redacted_by = models.CharField(max_length=150, blank=True)
    reason = models.TextField(max_length=2000, blank=True)
    defer_until = models.DateField(null=True, blank=True)
    conversation_needed = models.BooleanField(default=False)
    stop_automatic_access = models.BooleanField(
        default=False,
        help_text="Record 'enhanced review indicated' (104) so access does not start by itself.",
    )
    message = models.CharField(max_length=10, choices=PatientMessage.choices)
    withheld_reason = models.TextField(max_length=1000, blank=True)
    minutes_spent = models.PositiveIntegerField(null=True, blank=True, help_text="Time the review took.")
    decided_by = models.CharField(max_length=150)
    decided_role = models.CharField(max_length=20)
    answered_by = models.JSONField(
        default=dict,
        blank=True,
        help_text="The reviewer who answered each clinical question on the checklist.",
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["practice", "decided_at"], name="decision_practice_time")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for {self.request}"


class CodingExport(models.Model):
    """One CSV of codes handed to staff for entry in EMIS Web or SystmOne; confirmed when they are entered."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="coding_exports")
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    confirmed_by = models.CharField(max_length=150, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Coding export {self.pk} ({self.rows} rows)"


class CodingEntry(models.Model):
    """One SNOMED CT code to record in the clinical system (review/coding.py): asked for by a decision, or by a
    patient's own "no" to our message."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="coding_entries")
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="codes"
    )
    reply = models.ForeignKey(
        "outreach.PatientReply", null=True, blank=True, on_delete=models.CASCADE, related_name="codes"
    )
    nhs_number = models.CharField(max_length=10)
    code = models.CharField(max_length=20)
    term = models.CharField(max_length=200)
    date = models.DateField()
    export = models.ForeignKey(
        CodingExport, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    coded_at = models.DateTimeField(null=True, blank=True)
    coded_by = models.CharField(max_length=150, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "code"], name="one_code_per_decision"),
            models.CheckConstraint(
                condition=models.Q(decision__isnull=False) | models.Q(reply__isnull=False),
                name="coding_entry_has_a_source",
            ),
        ]
        indexes = [models.Index(fields=["practice", "coded_at"], name="coding_worklist")]

    def __str__(self) -> str:
        return f"{self.code} for {self.nhs_number}"
