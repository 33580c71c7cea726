from django.db import models

from recordaccess.practices.models import Practice


class Route(models.TextChoices):
    ONLINE = "online", "Online form"
    PAPER = "paper", "Paper form"
    PHONE = "phone", "Phone call"
    CONSULTATION = "consultation", "Consultation"
    REPLY = "reply", "Answer to our message"


class Wish(models.TextChoices):
    WANTS_ACCESS = "wants_access", "Wants online access"
    NO_ACCESS = "no_access", "Does not want online access"
    HAS_QUESTIONS = "has_questions", "Has a question"


class AccessLevel(models.TextChoices):
    PROSPECTIVE = "prospective", "New entries from now on, including notes and letters"
    HISTORIC = "historic", "The full past record, including notes and letters"
    CODED = "coded", "The coded record: problems, results, immunisations, procedures"
    SUMMARY = "summary", "A summary: medicines, allergies and reactions"


class ProxyBasis(models.TextChoices):
    CONSENT = "consent", "The patient agrees"
    PARENTAL_RESPONSIBILITY = "parental_responsibility", "Parental responsibility"
    LASTING_POWER_OF_ATTORNEY = "lpa", "Lasting power of attorney for health and welfare"
    DEPUTY = "deputy", "Court-appointed deputy"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    MATCHED = "matched", "Matched to the register"
    IDENTITY_VERIFIED = "identity_verified", "Identity verified"
    WAITING = "waiting", "Waiting for review"
    IN_REVIEW = "in_review", "In review"
    DECIDED = "decided", "Decided"


# Verified and not yet taken into review: the states of a request on the waiting list.
ON_LIST = (RequestStatus.IDENTITY_VERIFIED, RequestStatus.WAITING)


class MatchStatus(models.TextChoices):
    PENDING = "pending", "Not matched yet"
    MATCHED = "matched", "Matched"
    NEEDS_STAFF = "needs_staff", "Needs a person to match"


class AccessRequest(models.Model):
    """A patient's (or their proxy's) request about online access, however it reached the practice.

    Everything the patient typed is kept as text and shown escaped. The reference is what the patient quotes;
    with their date of birth it shows them the request's progress and nothing else.
    """

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="access_requests")
    reference = models.CharField(max_length=12, unique=True)
    route = models.CharField(max_length=15, choices=Route.choices)
    wish = models.CharField(max_length=15, choices=Wish.choices)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    # About the patient
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    address = models.TextField(max_length=500)
    postcode = models.CharField(max_length=8)
    nhs_number = models.CharField(max_length=10, blank=True)
    mobile = models.CharField(max_length=11, blank=True)
    phone = models.CharField(max_length=11, blank=True, help_text="To call: a landline or a mobile.")
    email = models.EmailField(max_length=320, blank=True)
    contact_by = models.CharField(max_length=10, default="sms")
    communication_needs = models.TextField(max_length=1000, blank=True)
    # What they want
    access_level = models.CharField(max_length=15, choices=AccessLevel.choices, blank=True)
    appointments = models.BooleanField(default=False)
    prescriptions = models.BooleanField(default=False)
    question = models.TextField(max_length=2000, blank=True)
    declarations = models.BooleanField(default=False)
    # When someone asks for another person
    for_someone_else = models.BooleanField(default=False)
    requester_name = models.CharField(max_length=200, blank=True)
    requester_relationship = models.CharField(max_length=100, blank=True)
    proxy_basis = models.CharField(max_length=30, choices=ProxyBasis.choices, blank=True)
    proxy_evidence = models.TextField(
        max_length=1000, blank=True, help_text="The evidence of authority seen."
    )
    proxy_ends_on = models.DateField(
        null=True, blank=True, help_text="When proxy access ends (a year by default)."
    )
    # Matching and handling
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="access_requests"
    )
    match_status = models.CharField(max_length=15, choices=MatchStatus.choices, default=MatchStatus.PENDING)
    fingerprint = models.CharField(max_length=64, db_index=True, help_text="Joins a repeat submission.")
    repeats = models.PositiveIntegerField(default=0, help_text="Times the same request was sent again.")
    entered_by = models.CharField(max_length=150, blank=True, help_text="Staff who keyed it in.")
    # The waiting list (intake/priority.py, kept by waiting_list.py): staff-marked need, a risk flag on the matched patient, and the key.
    clinical_need = models.CharField(max_length=30, blank=True)
    need_note = models.CharField(max_length=300, blank=True)
    risk_flag = models.BooleanField(default=False)
    has_need = models.BooleanField(default=False)
    priority_key = models.FloatField(default=0)
    on_list = models.BooleanField(
        default=False, help_text="Verified and not yet in review: on the waiting list."
    )
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["practice", "status"], name="request_practice_status"),
            # The waiting list (review/services.py reads it): open requests in priority order, whole and by filter;
            # each page is a walk along one of these indexes however long the list is.
            models.Index(fields=["practice", "on_list", "-priority_key", "id"], name="waiting_order"),
            models.Index(
                fields=["practice", "on_list", "risk_flag", "-priority_key", "id"], name="waiting_flagged"
            ),
            models.Index(
                fields=["practice", "on_list", "has_need", "-priority_key", "id"], name="waiting_need"
            ),
            # Past the target: counted as a range of this index, however long the list.
            models.Index(fields=["practice", "on_list", "received_at"], name="waiting_since"),
            # Everyone waiting, counted: a small partial index (one entry per open request) is the quickest count.
            models.Index(fields=["practice"], condition=models.Q(on_list=True), name="waiting_count"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        """Whether the request is on the waiting list follows its state, in the same write. Only a request for
        access is ever on it: a question or a "no" is not work for a reviewer (H75)."""
        self.on_list = self.status in ON_LIST and self.wish == Wish.WANTS_ACCESS
        fields = kwargs.get("update_fields")
        if fields is not None and ("status" in fields or "wish" in fields):
            kwargs["update_fields"] = {*fields, "on_list"}
        super().save(*args, **kwargs)

    @property
    def reference_display(self) -> str:
        code = self.reference.upper()
        return f"{code[:4]}-{code[4:]}"


class IdentityMethod(models.TextChoices):
    NHS_LOGIN_P9 = "nhs_login_p9", "NHS login at P9 (high identity proofing)"
    VOUCHING = "vouching", "Vouching: a member of staff who knows the patient"
    VOUCHING_CONFIRMED = "vouching_confirmed", "Vouching with confirmation from the record"
    DOCUMENTS = "documents", "Two identity documents, one with a photo"


class IdentityCheck(models.Model):
    """How the requester's identity was verified: by whom, how, when and what was seen."""

    request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE, related_name="identity_checks")
    method = models.CharField(max_length=20, choices=IdentityMethod.choices)
    remote = models.BooleanField(default=False, help_text="Done without the patient at the practice.")
    evidence = models.TextField(max_length=1000, blank=True, help_text="What was seen, not copies of it.")
    document = models.FileField(
        upload_to="identity/%Y/%m/", blank=True, help_text="A copy, only where the practice keeps them."
    )
    verified_by = models.CharField(max_length=150)
    verified_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_method_display()} by {self.verified_by}"


class WaitingListPolicy(models.Model):
    """How a practice orders its waiting list: points for each reason, and its target turnaround; with them the
    review settings that hang on the same numbers (reviewers' hours, what reception may grant)."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="waiting_list_policy")
    need_points = models.FloatField(default=30, help_text="Staff marked a clinical need (e.g. a carer).")
    risk_flag_points = models.FloatField(
        default=10,
        help_text="The patient has a flag that demands enhanced review (reviewed sooner, with care).",
    )
    prospective_points = models.FloatField(
        default=5, help_text="Asked only for new entries: quicker to review than the full past record."
    )
    points_per_day = models.FloatField(default=1, help_text="Waiting time: no one waits forever.")
    target_days = models.PositiveIntegerField(default=28, help_text="The practice's target turnaround.")
    reviewer_hours = models.FloatField(
        default=6, help_text="Hours of reviewers' time set aside each week for reviews and conversations."
    )
    reception_may_grant = models.BooleanField(
        default=False,
        help_text="Reception may grant new entries (prospective access) to a patient with no flag: the one grant "
        "that needs no clinical judgement. Everything else is decided by a reviewer.",
    )

    class Meta:
        db_table = "review_waitinglistpolicy"  # made in review; moved here with its columns' code (ADR 0007)

    def __str__(self) -> str:
        return f"Waiting-list policy of {self.practice}"
