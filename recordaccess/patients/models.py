from django.db import models

from recordaccess.practices.models import Practice


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class Patient(models.Model):
    """A patient on a practice's register, keyed by NHS number within the practice."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="patients")
    nhs_number = models.CharField("NHS number", max_length=10)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    mobile = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "nhs_number"], name="one_patient_per_nhs_number")
        ]
        indexes = [
            models.Index(fields=["practice", "family_name", "given_name"], name="patient_name"),
            models.Index(fields=["practice", "date_of_birth"], name="patient_dob"),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"
