from django.db import models

from recordaccess.practices.models import Practice


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    LEFT = "left", "Left the practice"
    DECEASED = "deceased", "Deceased"


class Preference(models.TextChoices):
    NOT_KNOWN = "not_known", "Not told us"
    WANTS_ACCESS = "wants_access", "Wants online access"
    NO_ACCESS = "no_access", "Does not want online access"
    HAS_QUESTIONS = "has_questions", "Has questions"


class AccessStatus(models.TextChoices):
    NOT_DECIDED = "not_decided", "Not decided"
    ACCESS_ON = "access_on", "Access on"
    DECLINED = "declined", "Declined by the patient"
    ENHANCED_REVIEW = "enhanced_review", "Enhanced review before access"
    WITHHELD = "withheld", "Withheld after review"


class Patient(models.Model):
    """A patient on a practice's register, keyed by NHS number within the practice.

    Imports write this table in bulk with SQL (patients/importer.py), so every field needs a default the
    importer can give, and `source_hash` says whether an imported row changed anything.
    """

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="patients")
    nhs_number = models.CharField("NHS number", max_length=10)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    # Lower case without accents, for fast prefix search: 'Siobhán' is found by 'siobhan'.
    given_key = models.CharField(max_length=100, blank=True, editable=False)
    family_key = models.CharField(max_length=100, editable=False)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    address_line_3 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    mobile = models.CharField(max_length=11, blank=True, help_text="07 and nine digits, no spaces.")
    email = models.EmailField(max_length=320, blank=True)
    registered_on = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    left_on = models.DateField(null=True, blank=True)
    preference = models.CharField(max_length=20, choices=Preference.choices, default=Preference.NOT_KNOWN)
    preference_recorded_at = models.DateTimeField(null=True, blank=True)
    access_status = models.CharField(
        max_length=20, choices=AccessStatus.choices, default=AccessStatus.NOT_DECIDED
    )
    last_contacted_at = models.DateTimeField(null=True, blank=True)
    # From the clinical system's export of patients registered for online services (patients/online_accounts.py):
    # when the account was made, when this service first saw it (the weekly sweep's "new online account"), and
    # whether someone else (a parent, a carer) has proxy access to it. Database defaults: the register importer
    # writes rows with SQL and does not name these columns.
    online_account_since = models.DateField(null=True, blank=True)
    online_account_seen_on = models.DateField(null=True, blank=True)
    proxy_access = models.BooleanField(default=False, db_default=False)
    proxy_details = models.CharField(max_length=200, blank=True, default="", db_default="")
    source_hash = models.CharField(max_length=32, blank=True, editable=False)
    last_import_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "nhs_number"], name="one_patient_per_nhs_number")
        ]
        indexes = [
            models.Index(fields=["practice", "family_key", "given_key"], name="patient_name"),
            models.Index(fields=["practice", "date_of_birth"], name="patient_dob"),
            models.Index(fields=["practice", "status"], name="patient_status"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def save(self, *args, **kwargs):
        from recordaccess.patients.names import search_key

        self.family_key = search_key(self.family_name)
        self.given_key = search_key(self.given_name)
        super().save(*args, **kwargs)

    @property
    def address_lines(self) -> list[str]:
        parts = [
            self.address_line_1,
            self.address_line_2,
            self.address_line_3,
            self.town,
            self.county,
            self.postcode,
        ]
        return [part for part in parts if part]


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped part-way"
    UNUSABLE = "unusable", "File could not be used"


class RegisterImport(models.Model):
    """One run of a register import: its progress while it runs and its figures after."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="register_imports")
    filename = models.CharField(max_length=255)
    started_by = models.CharField(max_length=150)
    full = models.BooleanField(
        default=False, help_text="A full register: patients missing from it have left."
    )
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    message = models.TextField(blank=True)
    total_bytes = models.BigIntegerField(default=0)
    bytes_done = models.BigIntegerField(default=0)
    rows = models.IntegerField(default=0)
    created = models.IntegerField(default=0)
    updated = models.IntegerField(default=0)
    unchanged = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    warnings = models.IntegerField(default=0)
    left = models.IntegerField(null=True, blank=True)
    stopped_at_row = models.IntegerField(null=True, blank=True)
    report_path = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent_done(self) -> int:
        if self.status != ImportStatus.RUNNING:
            return 100
        return int(100 * self.bytes_done / self.total_bytes) if self.total_bytes else 0


class OnlineAccountImport(models.Model):
    """One run of the online-accounts import: who ran it, on what file, and its figures."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="online_account_imports")
    filename = models.CharField(max_length=255)
    started_by = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    message = models.TextField(blank=True)
    rows = models.IntegerField(default=0)
    accounts = models.IntegerField(default=0)
    new_accounts = models.IntegerField(default=0)
    proxies = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    warnings = models.IntegerField(default=0)
    report_path = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class FlagKind(models.TextChoices):
    ENHANCED_REVIEW = "enhanced_review", "Enhanced review needed before access"
    REVIEW_NOT_INDICATED = "review_not_indicated", "Enhanced review not indicated"
    SAFEGUARDING_CHILD = "safeguarding_child", "Safeguarding (child)"
    SAFEGUARDING_ADULT = "safeguarding_adult", "Safeguarding (adult)"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    ACCESS_DECLINED = "access_declined", "Online access declined by the patient"
    PROXY_ACCESS = "proxy_access", "Proxy access or attorney in place"
    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Easy read"
    BRAILLE = "braille", "Braille"
    BRITISH_SIGN_LANGUAGE = "british_sign_language", "British Sign Language"
    INTERPRETER = "interpreter", "Interpreter"
    CONTACT_EMAIL = "contact_email", "Contact by email"
    CONTACT_LETTER = "contact_letter", "Contact by letter"
    CONTACT_SMS = "contact_sms", "Contact by text message"
    CONTACT_TELEPHONE = "contact_telephone", "Contact by telephone"


# Flags that always demand enhanced review: no 106 overrides them (patients/flags.py needs_enhanced_review).
SAFEGUARDING_KINDS = frozenset(
    {FlagKind.SAFEGUARDING_CHILD, FlagKind.SAFEGUARDING_ADULT, FlagKind.DOMESTIC_ABUSE}
)
# Flags that call for care before online access; the rest are about access itself or how to communicate.
RISK_KINDS = SAFEGUARDING_KINDS | {FlagKind.ENHANCED_REVIEW}
COMMUNICATION_KINDS = frozenset(
    {
        FlagKind.LARGE_PRINT,
        FlagKind.EASY_READ,
        FlagKind.BRAILLE,
        FlagKind.BRITISH_SIGN_LANGUAGE,
        FlagKind.INTERPRETER,
        FlagKind.CONTACT_EMAIL,
        FlagKind.CONTACT_LETTER,
        FlagKind.CONTACT_SMS,
        FlagKind.CONTACT_TELEPHONE,
    }
)


class FlagQuerySet(models.QuerySet):
    def current(self):
        """Flags not ended by staff: the only ones anything acts on."""
        return self.filter(ended_on=None)


class Flag(models.Model):
    """A coded entry from the clinical system that changes how we treat a patient: risk, access or communication.

    Most come from the weekly import; staff may add one or end one on the patient's page (patients/services.py
    says how the two agree). An ended flag is kept, shown as ended, and acted on by nothing."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=30, choices=FlagKind.choices)
    code = models.CharField("SNOMED CT code", max_length=20)
    term = models.CharField(max_length=255)
    recorded_on = models.DateField(null=True, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    added_by = models.CharField(
        max_length=150, blank=True, help_text="Who added it on the page ('' if imported)."
    )
    reason = models.TextField(max_length=1000, blank=True, help_text="Why it was added on the page.")
    ended_on = models.DateField(null=True, blank=True)
    ended_by = models.CharField(max_length=150, blank=True)
    end_reason = models.TextField(max_length=1000, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        constraints = [
            # Undated flags are kept unique by the importer, which checks before it adds.
            models.UniqueConstraint(
                fields=["patient", "code", "recorded_on"], name="one_flag_per_code_and_date"
            )
        ]
        indexes = [models.Index(fields=["kind", "patient"], name="flag_kind")]
        ordering = ["kind", "-recorded_on"]

    def __str__(self) -> str:
        return f"{self.term} ({self.code})"


class Cohort(models.Model):
    """A saved, named filter over a practice's patients (patients/cohorts.py), used by campaigns and worklists."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120)
    filters = models.JSONField(default=dict)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "name"], name="one_cohort_name_per_practice")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
