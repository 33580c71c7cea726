"""2,000 synthetic patients for the demo practice, loaded through the real register import."""

import tempfile
from pathlib import Path

from recordaccess.audit.services import Actor
from recordaccess.patients.services import run_register_import
from recordaccess.patients.synthetic import write_export

DEMO_PATIENTS = 2000


def load(*, practice, report) -> None:
    if practice.patients.count() >= DEMO_PATIENTS:
        report("patients", 0)
        return
    with tempfile.TemporaryDirectory() as folder:
        export = write_export(Path(folder) / "demo-register.csv", DEMO_PATIENTS)
        _, summary = run_register_import(
            actor=Actor.system("command:demo"), practice=practice, path=export, filename="demo-register.csv"
        )
    report("patients", summary.created)
