"""A practice's DPIA as the ICO's seven steps, kept in versions.

Each `Assessment` is one version. A practice has at most one draft, always its newest version; signing it off
freezes it (its rows are never changed again: every service refuses to touch a signed version), and the next
change starts a new draft copied from it. The sign-off also writes the practice's DPIA record
(`practices.Dpia`), which gates every message, through practices' own service.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from recordaccess.assurance.risk import Likelihood, Severity, level
from recordaccess.practices.models import DpoAdviceOutcome, Practice, RiskLevel


class Assessment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="assessments")
    number = models.PositiveIntegerField()
    # Step 1: the need for a DPIA.
    need = models.TextField("Why a DPIA is needed", blank=True)
    # Step 2: the processing.
    nature = models.TextField("The nature of the processing", blank=True)
    scope = models.TextField("The scope of the processing", blank=True)
    context = models.TextField("The context of the processing", blank=True)
    purposes = models.TextField("The purposes of the processing", blank=True)
    # Step 4: necessity and proportionality.
    lawful_basis = models.TextField("Lawful basis", blank=True)
    data_minimisation = models.TextField("Data minimisation", blank=True)
    information_to_patients = models.TextField("Information given to patients", blank=True)
    rights = models.TextField("How patients exercise their rights", blank=True)
    # Step 7: sign-off and outcomes (the ICO template's fields), filled when the version is signed off.
    reference = models.CharField(max_length=100, blank=True)
    measures_approved_by = models.CharField(max_length=200, blank=True)
    residual_risks_approved_by = models.CharField(max_length=200, blank=True)
    dpo_advice = models.TextField("Summary of DPO advice", blank=True)
    dpo_advice_outcome = models.CharField(max_length=10, choices=DpoAdviceOutcome.choices, blank=True)
    dpo_overruled_reason = models.TextField(blank=True)
    consultation_reviewed_by = models.CharField(max_length=200, blank=True)
    kept_under_review_by = models.CharField(max_length=200, blank=True)
    review_on = models.DateField(null=True, blank=True)
    residual_risk = models.CharField(max_length=6, choices=RiskLevel.choices, blank=True)
    ico_consultation_required = models.BooleanField(default=False)
    approach = models.CharField(max_length=10, blank=True)  # the practice's approach when it was signed off
    signed_on = models.DateField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["practice", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="assessment_number_once"),
            models.UniqueConstraint(
                fields=["practice"], condition=Q(signed_at__isnull=True), name="assessment_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"DPIA version {self.number}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class Consulted(models.TextChoices):
    DPO = "dpo", "Data protection officer"
    CLINICIANS = "clinicians", "Clinicians"
    PPG = "ppg", "Patient participation group"
    STAFF = "staff", "Practice staff"
    OTHER = "other", "Someone else"


class Consultation(models.Model):
    """Step 3: one consultation: who, when, and what they said."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="consultations")
    consulted = models.CharField("Who was consulted", max_length=12, choices=Consulted.choices)
    who = models.CharField("Their name or the group's", max_length=200)
    held_on = models.DateField("When")
    said = models.TextField("What they said")

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_consulted_display()}: {self.who}"


class Effect(models.TextChoices):
    ELIMINATED = "eliminated", "Eliminated"
    REDUCED = "reduced", "Reduced"
    ACCEPTED = "accepted", "Accepted"


class Risk(models.Model):
    """Step 5 (the risk and its level) and step 6 (the measures, their effect and the residual level)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="risks")
    position = models.PositiveSmallIntegerField(default=0)
    default_key = models.CharField(max_length=30, blank=True)  # from the default register (defaults.py)
    title = models.CharField("Risk", max_length=200)
    source = models.TextField("Source of the risk")
    likelihood = models.CharField(max_length=10, choices=Likelihood.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    control = models.CharField(max_length=30, blank=True)  # a control of the service (defaults.CONTROLS)
    measures = models.TextField("Measures to reduce or eliminate the risk", blank=True)
    effect = models.CharField("Effect on the risk", max_length=10, choices=Effect.choices, blank=True)
    residual_likelihood = models.CharField(max_length=10, choices=Likelihood.choices, blank=True)
    residual_severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    approved = models.BooleanField("Measures approved", null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def level(self) -> RiskLevel:
        return level(self.likelihood, self.severity)

    @property
    def residual_level(self) -> RiskLevel | None:
        if not (self.residual_likelihood and self.residual_severity):
            return None
        return level(self.residual_likelihood, self.residual_severity)

    @property
    def measured(self) -> bool:
        """Step 6 is done for this risk: measures, their effect, the residual level and a decision."""
        return bool(
            self.measures.strip() and self.effect and self.residual_level and self.approved is not None
        )


# --- The practice plan and its sharing (issue 15 items 4 and 5: assurance/plan.py, export.py) ---


class Plan(models.Model):
    """One version of the practice plan. The service's own facts are read when the plan is shown; the practice's
    words (the reasoning the service cannot know) are kept in `words`. Approving a version freezes `snapshot`,
    the whole plan as it read then, so later changes in the service never rewrite an approved version; the next
    change starts a new draft copied from it. A practice has at most one draft, always its newest version."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveIntegerField()
    words = models.JSONField(default=dict, blank=True)  # section key → the practice's words (plan.SECTIONS)
    snapshot = models.JSONField(null=True, blank=True)  # export blocks and section statuses, at approval
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["practice", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="plan_number_once"),
            models.UniqueConstraint(
                fields=["practice"], condition=Q(approved_at__isnull=True), name="plan_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return f"Practice plan version {self.number}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class SharedWith(models.TextChoices):
    ICB = "icb", "The integrated care board (ICB)"
    ICO = "ico", "The Information Commissioner's Office (ICO)"
    OTHER = "other", "Someone else"


class PlanShare(models.Model):
    """When an approved version of the plan (with the DPIA, the readiness checklist and the sweep record) was
    shared, and with whom."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="plan_shares")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="shares")
    shared_with = models.CharField(max_length=5, choices=SharedWith.choices)
    name = models.CharField("Who it was sent to", max_length=200, blank=True)
    shared_on = models.DateField("When it was shared")
    recorded_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shared_on", "-id"]

    def __str__(self) -> str:
        return f"Plan version {self.plan.number} shared with {self.get_shared_with_display()}"


# The weekly safety sweep (issue 15 item 2; assurance/sweep.py): helper F's block.


class SweepReason(models.TextChoices):
    NEW_REGISTRATION = "new_registration", "New registration"
    NEW_ONLINE_ACCOUNT = "new_online_account", "New online account or proxy access"
    TURNING_16 = "turning_16", "Turning 16 with an online account or proxy access"
    TURNING_11_PROXY = "turning_11_proxy", "Turning 11 with a parent's proxy access"
    NEW_SAFEGUARDING = "new_safeguarding", "New safeguarding or enhanced review code"


class SweepOutcome(models.TextChoices):
    NO_ACTION = "no_action", "No action needed"
    FLAG_ADDED = "flag_added", "Flag added"
    PASSED_TO_CLINICIAN = "passed_to_clinician", "Passed to a clinician"


class Sweep(models.Model):
    """One week's worklist of patients needing a look. Generated once per practice per week (the constraint makes
    a second generation, by a second worker or a late one, find the first); signed off by a named person only when
    every patient has an outcome, and never changed after."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="sweeps")
    week_starting = models.DateField()  # a Monday
    looks_back_from = (
        models.DateField()
    )  # events (registrations, accounts, codes) from this day up to the week
    birthdays_from = models.DateField()  # birthdays from this day to the end of the week
    generated_at = models.DateTimeField(auto_now_add=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["practice", "-week_starting"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "week_starting"], name="one_sweep_per_practice_week")
        ]

    def __str__(self) -> str:
        return f"Safety sweep for the week starting {self.week_starting:%d %B %Y}"

    @property
    def is_signed(self) -> bool:
        return self.signed_off_at is not None


class SweepEntry(models.Model):
    """One patient on a sweep, why they are on it, and what the named staff member who looked decided."""

    sweep = models.ForeignKey(Sweep, on_delete=models.CASCADE, related_name="entries")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    reasons = models.JSONField(default=list)  # SweepReason values
    detail = models.CharField(max_length=300, blank=True)  # e.g. the code's term, the birthday
    outcome = models.CharField(max_length=20, choices=SweepOutcome.choices, blank=True)
    note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["sweep", "patient__family_name", "patient__given_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sweep", "patient"], name="one_entry_per_sweep_patient")
        ]

    def __str__(self) -> str:
        return f"{self.patient} on {self.sweep}"

    @property
    def reason_labels(self) -> list[str]:
        labels = dict(SweepReason.choices)
        return [labels.get(reason, reason) for reason in self.reasons]


# The exclusion watch (issue 15 item 3; assurance/exclusion.py): helper F's block, continued.


def share_of(held_back: int, registered: int) -> float:
    """Per cent of registered patients held back, to one decimal place: a snapshot's share, and the roll-up's."""
    return round(100 * held_back / registered, 1) if registered else 0.0


class ExclusionSnapshot(models.Model):
    """One day's count of a practice's registered patients held back from online access, by reason. Counts only:
    no row names a patient. Written once per practice per day by a periodic task (the constraint decides a race)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="exclusion_snapshots")
    day = models.DateField()
    registered = models.PositiveIntegerField()
    held_back = models.PositiveIntegerField()
    by_reason = models.JSONField(default=dict)  # exclusion.REASONS key → patients
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practice", "-day"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "day"], name="one_exclusion_snapshot_a_day")
        ]

    def __str__(self) -> str:
        return f"Held back on {self.day:%d %B %Y}: {self.held_back} of {self.registered}"

    @property
    def share(self) -> float:
        """Per cent of registered patients held back, to one decimal place."""
        return share_of(self.held_back, self.registered)
