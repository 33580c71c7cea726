"""The demo's neighbours and its figures: three more practices in the demo PCN and ICB, with registers, approaches
and DPIAs at different stages, so the ICB's observer sees practices side by side; then every demo practice's
figures counted, so the dashboards and the roll-up show them at once rather than after the worker's first refresh.

Loaded last (reports is the top app with a demo), through the same services an operator uses."""

import datetime
import tempfile
from pathlib import Path

from django.utils import timezone

from recordaccess.assurance import exclusion
from recordaccess.patients.services import run_register_import
from recordaccess.patients.synthetic import write_export
from recordaccess.practices import services
from recordaccess.practices.demo import ACTOR, DEMO_ICB, DEMO_PCN
from recordaccess.practices.models import Approach
from recordaccess.practices.selectors import organisation_by_code, organisation_practices, practice_by_ods
from recordaccess.reports.refresh import refresh_practice

# (ODS code, name, approach, registered patients, organisation it belongs to, its DPIA as recorded, or None)
NEIGHBOURS = [
    (
        "Y12346",
        "Canal Side Medical Practice (demo)",
        Approach.OPT_OUT,
        600,
        DEMO_PCN[0],
        {"reference": "CS-DPIA-2024-02", "completed_on": datetime.date(2024, 2, 12), "residual_risk": "low"},
    ),
    (
        "Y12347",
        "Hillcrest Family Doctors (demo)",
        Approach.OPT_IN,
        400,
        DEMO_ICB[0],  # not in a PCN of the demo: held by the ICB itself
        None,  # no DPIA recorded yet: the roll-up shows it
    ),
    (
        "Y12348",
        "Moorview Health Centre (demo)",
        Approach.HYBRID,
        300,
        DEMO_PCN[0],
        {
            "reference": "MV-DPIA-2022-07",
            "completed_on": datetime.date(2022, 7, 4),
            "residual_risk": "medium",
            "review_on": datetime.date(2024, 7, 4),  # past: the roll-up says its review is due
        },
    ),
]


def load(*, practice, report) -> None:
    made = 0
    today = timezone.localdate()
    for number, (ods, name, approach, patients, member_of, dpia) in enumerate(NEIGHBOURS, start=1):
        neighbour = practice_by_ods(ods)
        if neighbour is None:
            neighbour = services.create_practice(
                actor=ACTOR,
                ods_code=ods,
                name=name,
                approach=approach,
                approach_agreed_on=datetime.date(2024, 1, 15),
            )
            made += 1
        if neighbour.patients.count() < patients:
            with tempfile.TemporaryDirectory() as folder:
                export = write_export(
                    Path(folder) / "register.csv",
                    patients,
                    seed=number,
                    first_stem=990_000_000 + number * 10_000,
                )
                run_register_import(actor=ACTOR, practice=neighbour, path=export, filename="register.csv")
        if dpia and not neighbour.dpia.is_recorded:
            services.update_dpia(actor=ACTOR, practice=neighbour, **dpia)
        organisation = organisation_by_code(member_of)
        if not organisation_practices(organisation).filter(pk=neighbour.pk).exists():
            services.change_organisation_practices(actor=ACTOR, organisation=organisation, add=[ods])
        exclusion.take_snapshot(neighbour, day=today)
    report("neighbouring practices", made)
    for shown in organisation_practices(organisation_by_code(DEMO_ICB[0])):
        refresh_practice(shown)
