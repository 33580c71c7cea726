"""The four staff roles and what each may do in general terms; access.py maps them to pages."""

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator (practice manager, IG lead)"
    REVIEWER = "reviewer", "Reviewer (GP or clinician)"
    RECEPTION = "reception", "Reception and admin staff"
    OBSERVER = "observer", "Observer (PCN or ICB, aggregate figures only)"


ALL_ROLES = frozenset(Role)
# Roles that may see patient-identifiable data. Observers never do.
PATIENT_DATA_ROLES = frozenset({Role.ADMINISTRATOR, Role.REVIEWER, Role.RECEPTION})
