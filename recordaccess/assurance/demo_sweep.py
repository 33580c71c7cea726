"""The demo practice's weekly safety sweep (helper F; the lead folds `load` into demo.py): an online-accounts
import (some accounts with a parent's proxy access), two signed-off sweeps with every patient's outcome, and this
week's sweep open with one patient looked at. Idempotent: a practice that has sweeps is left alone."""

import datetime
import tempfile
from pathlib import Path

from django.utils import timezone

from recordaccess.assurance import exclusion, sweep
from recordaccess.assurance.models import ExclusionSnapshot, Sweep, SweepOutcome
from recordaccess.audit.services import Actor
from recordaccess.patients.models import Patient
from recordaccess.patients.services import run_online_accounts_import
from recordaccess.practices.models import Membership, Role

ACTOR = Actor.system("demo")
OUTCOMES = [
    (SweepOutcome.NO_ACTION, ""),
    (SweepOutcome.NO_ACTION, ""),
    (SweepOutcome.FLAG_ADDED, "Added 104: a carer reads the record for them; the GP to review."),
    (SweepOutcome.PASSED_TO_CLINICIAN, "Passed to Dr Shah: proxy access for a parent to check."),
]


def load(*, practice, report) -> None:
    if Sweep.objects.filter(practice=practice).exists():
        report("safety sweeps", 0)
        report("exclusion snapshots", _snapshots(practice))
        return
    admin = (
        Membership.objects.filter(practice=practice, role=Role.ADMINISTRATOR).select_related("user").first()
    )
    signer = admin.user if admin else None
    this_week = sweep.week_of(timezone.localdate())
    weeks = [this_week - datetime.timedelta(days=14), this_week - datetime.timedelta(days=7), this_week]
    patients = list(
        Patient.objects.filter(practice=practice, status="registered")
        .order_by("pk")
        .values_list("nhs_number", flat=True)[:12]
    )
    rows = ["NHS Number,Date registered for online services,Proxy access,Proxy details"]
    for i, number in enumerate(patients):
        since = weeks[i % 3] - datetime.timedelta(days=1 + i % 5)  # in the week before each sweep
        proxy = ("Yes", "Mother") if i % 4 == 3 else ("No", "")
        rows.append(f"{number},{since:%d/%m/%Y},{proxy[0]},{proxy[1]}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "online-accounts.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        run_online_accounts_import(actor=ACTOR, practice=practice, path=path, filename="online-accounts.csv")
    for number, week in enumerate(weeks):
        found, _ = sweep.generate(practice, week_starting=week, actor=ACTOR)
        entries = list(sweep.entries(found))
        last = number == len(weeks) - 1
        for i, entry in enumerate(entries[:1] if last else entries):
            outcome, note = OUTCOMES[i % len(OUTCOMES)]
            sweep.record_outcome(
                actor=ACTOR,
                practice=practice,
                sweep_id=found.pk,
                entry_id=entry.pk,
                outcome=outcome,
                note=note,
                user=signer,
            )
        if not last:
            sweep.sign_off(actor=ACTOR, practice=practice, sweep_id=found.pk, user=signer)
    report("safety sweeps", len(weeks))
    report("exclusion snapshots", _snapshots(practice))


def _snapshots(practice) -> int:
    """Six weeks of the exclusion watch: today's real count, and the weeks before it as a practice that has been
    clearing its enhanced reviews would have seen them (the task takes one a day from now on)."""
    if ExclusionSnapshot.objects.filter(practice=practice).exists():
        return 0
    today = timezone.localdate()
    registered, by_reason = exclusion.count_now(practice)
    for weeks_ago in range(5, 0, -1):
        waiting = by_reason["enhanced_review"] + weeks_ago * max(1, registered // 40)
        earlier = {**by_reason, "enhanced_review": waiting}
        ExclusionSnapshot.objects.create(
            practice=practice,
            day=today - datetime.timedelta(days=7 * weeks_ago),
            registered=registered,
            held_back=sum(earlier.values()),
            by_reason=earlier,
        )
    exclusion.take_snapshot(practice, day=today)
    return 6
