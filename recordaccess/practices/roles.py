"""The four staff roles and the sets of them that pages allow; each app's staff_urls.py gives each page its set."""

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator (practice manager, IG lead)"
    REVIEWER = "reviewer", "Reviewer (GP or clinician)"
    RECEPTION = "reception", "Reception and admin staff"
    OBSERVER = "observer", "Observer (PCN or ICB, aggregate figures only)"


ALL_ROLES = frozenset(Role)
ADMIN = frozenset({Role.ADMINISTRATOR})
# Roles that may see patient-identifiable data. Observers never do.
PATIENT_DATA_ROLES = frozenset({Role.ADMINISTRATOR, Role.REVIEWER, Role.RECEPTION})
