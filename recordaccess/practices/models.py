import re

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from recordaccess.practices.roles import Role

ODS_CODE = re.compile(r"^[A-Z][0-9]{5}$")


def normalise_ods_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_ods_code(value: str) -> None:
    if not ODS_CODE.match(value or ""):
        raise ValidationError(
            "Enter the practice's ODS code: one letter then five digits, like A81001.", code="ods_code"
        )


class Approach(models.TextChoices):
    OPT_OUT = "opt_out", "Opt-out: access for every patient unless they decline or are excluded for safety"
    OPT_IN = "opt_in", "Opt-in: access only for patients who ask"
    HYBRID = "hybrid", "Hybrid: opt-out for most, opt-in for patients judged at higher risk"


class Practice(models.Model):
    ods_code = models.CharField("ODS code", max_length=6, unique=True, validators=[validate_ods_code])
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True, help_text="One line of the address on each line.")
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(
        "Email address", blank=True, help_text="Shown to patients at the foot of each page."
    )
    # Empty means the default text in practices/defaults.py, written from the practice's own details.
    opening_hours = models.TextField(
        blank=True, help_text="One line for each day or group of days. Shown at the foot of each public page."
    )
    privacy_notice = models.TextField(
        blank=True,
        help_text="Start a line with ## to make it a heading; leave a blank line between paragraphs.",
    )
    accessibility_statement = models.TextField(
        blank=True,
        help_text="Start a line with ## to make it a heading; leave a blank line between paragraphs.",
    )
    approach = models.CharField(max_length=10, choices=Approach.choices, default=Approach.OPT_OUT)
    approach_agreed_on = models.DateField(
        "Date the practice agreed its approach",
        null=True,
        blank=True,
        help_text="Nothing is approved or sent to patients until the approach is agreed and the DPIA recorded.",
    )
    go_live_on = models.DateField(
        "Date online access starts",
        null=True,
        blank=True,
        help_text="Messages sent before it tell patients the date access starts.",
    )
    store_identity_documents = models.BooleanField(
        "Keep copies of identity documents",
        default=False,
        help_text="Off: staff record what they saw, never a copy. On: they may attach a scan, kept privately.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class DpoAdviceOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    OVERRULED = "overruled", "Overruled"


class Dpia(models.Model):
    """The practice's data protection impact assessment, with the sign-off of the ICO's template."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="dpia")
    reference = models.CharField(max_length=100, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    measures_approved_by = models.CharField(max_length=200, blank=True)
    residual_risks_approved_by = models.CharField(max_length=200, blank=True)
    dpo_advice = models.TextField("DPO advice", blank=True)
    dpo_advice_outcome = models.CharField(
        "DPO advice was", max_length=10, choices=DpoAdviceOutcome.choices, blank=True
    )
    dpo_overruled_reason = models.TextField("Why the DPO's advice was overruled", blank=True)
    residual_risk = models.CharField(max_length=6, choices=RiskLevel.choices, blank=True)
    review_on = models.DateField(null=True, blank=True)
    url = models.URLField("Link to the DPIA", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.reference or "DPIA not yet recorded"

    @property
    def is_recorded(self) -> bool:
        return bool(self.reference and self.completed_on)

    @property
    def review_is_overdue(self) -> bool:
        """A DPIA past its review date may no longer describe what the practice does: staff are warned."""
        return self.review_on is not None and self.review_on < timezone.localdate()

    @property
    def needs_ico_consultation(self) -> bool:
        """A residual high risk requires prior consultation with the ICO before going ahead."""
        return self.residual_risk == RiskLevel.HIGH

    def clean(self) -> None:
        if self.dpo_advice_outcome == DpoAdviceOutcome.OVERRULED and not self.dpo_overruled_reason.strip():
            raise ValidationError(
                {
                    "dpo_overruled_reason": "Say why the DPO's advice was overruled: the ICO template asks for it."
                }
            )


class SignpostingResource(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    url = models.URLField("Web address")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class StaffUser(AbstractUser):
    """A member of staff. Their practices and role in each come from Membership."""

    full_name = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Membership(models.Model):
    user = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="memberships")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "practice"], name="one_role_per_practice")]
        ordering = ["practice__name"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.practice.ods_code}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


class StaffInvitation(models.Model):
    """An existing account asked to join a practice: it joins only when its holder accepts, signed in with
    their own second factor, so an administrator can never take an account that is not theirs."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="staff_invitations")
    user = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="staff_invitations")
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        StaffUser, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    invited_by_name = models.CharField(max_length=150)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "user"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_account",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.practice.ods_code} ({self.status})"


class OrganisationKind(models.TextChoices):
    PCN = "pcn", "Primary care network (PCN)"
    ICB = "icb", "Integrated care board (ICB)"


class Organisation(models.Model):
    """A PCN or an ICB: a group of practices whose observers see the practices' figures side by side, never a
    patient. An ICB's practices include those of its PCNs (`practices.selectors.organisation_practices`)."""

    code = models.CharField(
        "ODS code", max_length=10, unique=True, help_text="The organisation's ODS code, like U12345 or QWE."
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=3, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="A PCN's ICB.",
    )
    practices = models.ManyToManyField(Practice, through="OrganisationPractice", related_name="organisations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class OrganisationPractice(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "practice"], name="practice_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} in {self.organisation_id}"


class OrganisationMembership(models.Model):
    """An observer of an organisation: aggregate figures of its practices only (observers never see a patient)."""

    user = models.ForeignKey(StaffUser, on_delete=models.CASCADE, related_name="organisation_memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")
        ]
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.user} observes {self.organisation.code}"
