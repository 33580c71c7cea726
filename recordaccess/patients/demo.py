"""The demo practice's register: 2,000 synthetic patients, some flags and three cohorts, all loaded through the
same import and services a practice uses."""

import random
import tempfile
from pathlib import Path

from recordaccess.audit.services import Actor
from recordaccess.patients.cohorts import CohortFilters
from recordaccess.patients.flags import import_flags
from recordaccess.patients.models import Cohort
from recordaccess.patients.services import run_register_import, save_cohort
from recordaccess.patients.synthetic import write_export

DEMO_PATIENTS = 2000
ACTOR = Actor.system("command:demo")
# Share of demo patients given each flag: enough to see every part of the service at work.
DEMO_FLAGS = [
    ("1364731000000104", 0.03),  # enhanced review before access
    ("836881000000105", 0.01),  # child safeguarding concern
    ("417430008", 0.01),  # vulnerable adult
    ("1290331000000103", 0.02),  # access declined
    ("957351000000102", 0.02),  # large print
    ("796161000000101", 0.01),  # easy read
    ("203901000000102", 0.01),  # Polish interpreter
]
DEMO_COHORTS = {
    "Turning 16 in the next 7 days": CohortFilters(turning_16_within_days=7),
    "Adults with a mobile, not under review": CohortFilters(
        has_mobile="yes", flags_absent=["enhanced_review"]
    ),
    # Patients whose written information must come in a format of its own: easy read, large print.
    "Need easy read or large print": CohortFilters(
        has_address="yes", flags_present=["easy_read", "large_print"]
    ),
}


def load(*, practice, report) -> None:
    with tempfile.TemporaryDirectory() as folder:
        created = 0
        if practice.patients.count() < DEMO_PATIENTS:
            export = write_export(Path(folder) / "demo-register.csv", DEMO_PATIENTS)
            _, summary = run_register_import(
                actor=ACTOR, practice=practice, path=export, filename="demo-register.csv"
            )
            created = summary.created
        report("patients", created)
        if not practice.patients.filter(flags__isnull=False).exists():
            flags = Path(folder) / "demo-flags.csv"
            rng = random.Random(16)  # noqa: S311 - reproducible demo data
            numbers = list(practice.patients.order_by("nhs_number").values_list("nhs_number", flat=True))
            lines = [
                f"{number},{code},01/10/2023"
                for code, share in DEMO_FLAGS
                for number in rng.sample(numbers, int(len(numbers) * share))
            ]
            flags.write_text("NHS Number,SNOMED Code,Date\n" + "\n".join(lines) + "\n", encoding="utf-8")
            report("flags", import_flags(practice=practice, path=flags).added)
        else:
            report("flags", 0)
    missing = [
        name for name in DEMO_COHORTS if not Cohort.objects.filter(practice=practice, name=name).exists()
    ]
    for name in missing:
        save_cohort(actor=ACTOR, practice=practice, name=name, filters=DEMO_COHORTS[name])
    report("cohorts", len(missing))
