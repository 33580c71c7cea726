"""The clinical system's export of patients registered for online services: NHS number + the date the account
was made (+ whether someone has proxy access, and who), recorded on the patients of the register.

It is read like the register and the flags (`RegisterFile`: any encoding or delimiter the clinical systems
write, row-level problems in a CSV report). What it feeds is the weekly safety sweep: a patient whose online
account (or proxy access) this service sees for the first time gets `online_account_seen_on` = the import's day,
so the next sweep names them whatever date the clinical system gives the account. On a practice's first import
the seen date is the account's own date instead, so the first sweep is not every account the practice has.

A doubtful cell is read the safe way: an unreadable account date is recorded as the import's day (the account
exists; the sweep looks at it), an unrecognised proxy answer as "proxy access" (the sweep looks at it).
"""

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import ClassVar, TextIO

from django.db import transaction
from django.utils import timezone

from recordaccess.core import nhs_number
from recordaccess.core.spreadsheet import starts_formula
from recordaccess.patients.importer import ReportWriter
from recordaccess.patients.models import ImportStatus, OnlineAccountImport, Patient
from recordaccess.patients.register import REJECTED, WARNING, Problem, RegisterFile, parse_date

BATCH_SIZE = 2000
YES = {"y", "yes", "true", "1", "proxy", "proxy access"}
NO = {"", "n", "no", "false", "0", "none"}


class OnlineAccountFile(RegisterFile):
    header_names: ClassVar = {
        "nhs_number": ("nhs number", "nhs no", "nhs", "patient nhs number"),
        "since": (
            "date registered for online services",
            "online services registration date",
            "online registration date",
            "online account created",
            "date online account created",
            "account created",
            "date account created",
            "registered for online services",
            "date registered",
            "online since",
            "date",
        ),
        "proxy": ("proxy access", "proxy", "has proxy", "proxy user", "proxy registered"),
        "proxy_details": (
            "proxy details",
            "proxy name",
            "proxy user name",
            "proxy relationship",
            "proxy user details",
        ),
    }
    required: ClassVar = ("nhs_number", "since")
    labels: ClassVar = {
        "nhs_number": "NHS number",
        "since": "Date registered for online services",
        "proxy": "Proxy access",
        "proxy_details": "Proxy details",
    }


@dataclass
class OnlineAccountSummary:
    rows: int = 0
    accounts: int = 0
    new_accounts: int = 0  # accounts (or proxy access) this service sees for the first time
    proxies: int = 0
    rejected: int = 0
    warnings: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _read(account_file: OnlineAccountFile, patients: dict, today, summary, writer):
    columns = account_file.columns
    headers = [h.strip().lstrip("\ufeff") for h in account_file.headers]
    seen: set[str] = set()

    def cell(cells, name):
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def header(name):
        return headers[columns[name]] if name in columns else OnlineAccountFile.labels[name]

    for row, cells, bytes_done in account_file.records():
        summary.rows += 1
        raw_number = cell(cells, "nhs_number")
        number = nhs_number.normalise(raw_number)
        problem = None
        if not number:
            problem = "NHS number is missing"
        elif not nhs_number.is_valid(number):
            problem = "NHS number is not valid (wrong length or check digit)"
        elif number not in patients:
            problem = "No patient with this NHS number on the practice's register: import the register first"
        elif number in seen:
            problem = "Duplicate: this NHS number is on an earlier row, which was kept"
        if problem:
            summary.rejected += 1
            writer.write([Problem(row, header("nhs_number"), raw_number, problem, REJECTED)])
            writer.refuse_if_all_unusable(
                rows=summary.rows, rejected=summary.rejected, kind="online accounts"
            )
            continue
        seen.add(number)
        problems = []
        raw_since = cell(cells, "since")
        since = None
        try:
            since = parse_date(raw_since) if raw_since else None
        except ValueError as error:
            problems.append(f"Date {error}")
        if since is not None and since > today:
            problems.append("Date is in the future")
            since = None
        if since is None:
            if not raw_since:
                problems.append("Date is missing")
            writer.write(
                [
                    Problem(
                        row,
                        header("since"),
                        raw_since,
                        f"{problems[-1]}: the account is recorded as seen today, so the sweep looks at it",
                        WARNING,
                    )
                ]
            )
            summary.warnings += 1
            since = today
        raw_proxy = cell(cells, "proxy")
        details = cell(cells, "proxy_details")[:200]
        proxy = raw_proxy.lower() in YES or (not raw_proxy and bool(details))
        if raw_proxy.lower() not in YES | NO:
            proxy = True
            writer.write(
                [
                    Problem(
                        row,
                        header("proxy"),
                        raw_proxy,
                        "Proxy access not recognised (use Yes or No): recorded as proxy access, so the sweep "
                        "looks at it",
                        WARNING,
                    )
                ]
            )
            summary.warnings += 1
        if starts_formula(details):
            details = "'" + details
        yield patients[number], since, proxy, details, bytes_done


def import_online_accounts(
    *,
    run: OnlineAccountImport,
    path: str | Path,
    report: TextIO | None = None,
    today: datetime.date | None = None,
    progress: Callable[[int, OnlineAccountSummary], None] | None = None,
    mapping: dict[str, str] | None = None,
) -> OnlineAccountSummary:
    """Record each row's account on its patient, in batches of one transaction each. Running the same file
    again changes nothing (and names nobody new on the sweep)."""
    today = today or timezone.localdate()
    account_file = OnlineAccountFile.open(path, mapping)
    first = not (
        OnlineAccountImport.objects.filter(practice_id=run.practice_id, status=ImportStatus.COMPLETED)
        .exclude(pk=run.pk)
        .exists()
    )
    patients = {
        number: (pk, since, proxy)
        for number, pk, since, proxy in Patient.objects.filter(practice_id=run.practice_id)
        .values_list("nhs_number", "pk", "online_account_since", "proxy_access")
        .iterator(chunk_size=10_000)
    }
    summary = OnlineAccountSummary()
    writer = ReportWriter(report)
    batch = []
    bytes_done = 0
    for item in _read(account_file, patients, today, summary, writer):
        batch.append(item)
        bytes_done = item[-1]
        if len(batch) >= BATCH_SIZE:
            _write(run, batch, summary, first=first, today=today)
            if progress:
                progress(bytes_done, summary)
            batch = []
    _write(run, batch, summary, first=first, today=today)
    writer.close()
    if progress:
        progress(account_file.size, summary)
    return summary


def _write(run, batch, summary: OnlineAccountSummary, *, first: bool, today) -> None:
    with transaction.atomic():
        for (pk, had_since, had_proxy), since, proxy, details, _ in batch:
            summary.accounts += 1
            summary.proxies += proxy
            change = {"online_account_since": since, "proxy_access": proxy, "proxy_details": details}
            if had_since is None or (proxy and not had_proxy):
                # New to this service: the next sweep names them (H94). The first import is the baseline.
                change["online_account_seen_on"] = min(since, today) if first else today
                summary.new_accounts += 1
            Patient.objects.filter(pk=pk).update(**change, updated_at=timezone.now())
        OnlineAccountImport.objects.filter(pk=run.pk).update(**_figures(summary))


def _figures(summary: OnlineAccountSummary) -> dict:
    return summary.as_dict()
