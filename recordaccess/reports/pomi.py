"""The monthly return in the shape of NHS Digital's Patient Online Management Information (POMI).

Source: NHS Digital, "Patient Online Management Information (POMI)", the data collection page
(https://digital.nhs.uk/data-and-information/data-collections-and-data-sets/data-collections/pomi) and its
publication series (https://digital.nhs.uk/data-and-information/publications/statistical/mi-patient-online-pomi),
whose underlying CSV files are in long format: one row per practice per field, with the columns
`report_period_end`, the commissioner's code and name (`ccg_code`, `ccg_name` in the files of 2021),
`practice_code`, `practice_name`, `field` and `value`. Of its fields we can honestly fill three:

- `patient_list_size`: patients registered at the end of the month;
- `Total_Pat_Enbld`: patients enabled for at least one online service: here, with an online account in the
  clinical system's export by the month's end (`Patient.online_account_since`), or granted record access by a
  decision made by then;
- `Pat_DetCodeRec_Enbld`: patients enabled for detailed coded record access: here, granted access by a decision
  made by the month's end at the detailed coded record level or fuller (coded, prospective or historic; intake's
  `AccessLevel`). The clinical system's export does not say an account's level, so accounts alone do not count.

Our commissioner columns are the organisation asked for (`organisation_code`, `organisation_name`): the PCN or
ICB whose return it is, or empty for one practice's own. The published files write the period's end day first
(their users parse it day-month-year); we write ISO 8601 (2026-10-31), which is unambiguous and which the same
parsers read. Counts only: no patient's detail is ever read into the return.
"""

import calendar
import dataclasses
import datetime
import io
import re

from django.utils import timezone

from recordaccess.core.spreadsheet import writer
from recordaccess.intake.models import AccessLevel
from recordaccess.patients.selectors import online_access_counts
from recordaccess.review.selectors import granted_patient_ids

COLUMNS = (
    "report_period_end",
    "organisation_code",
    "organisation_name",
    "practice_code",
    "practice_name",
    "field",
    "value",
)
FIELDS = ("patient_list_size", "Total_Pat_Enbld", "Pat_DetCodeRec_Enbld")
CODED_OR_FULLER = (AccessLevel.CODED, AccessLevel.PROSPECTIVE, AccessLevel.HISTORIC)
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthError(ValueError):
    """A month the return cannot be made for, in words for the person who asked."""


def last_complete_month(today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return f"{first:%Y-%m}"


def parse_month(value: str, today: datetime.date | None = None) -> datetime.date:
    """The last day of the month written YYYY-MM; the month must have ended (the return counts at its end)."""
    today = today or timezone.localdate()
    value = (value or "").strip()
    if not value:
        raise MonthError("Enter the month of the return, like 2026-10")
    match = MONTH.match(value)
    if match is None:
        raise MonthError("Enter the month as a 4-digit year and 2-digit month with a dash, like 2026-10")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise MonthError("The month must be from 01 to 12, like 2026-10")
    if year < 2000:
        raise MonthError("The month must be in 2000 or later")
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    if end >= today:
        latest = datetime.date.fromisoformat(last_complete_month(today) + "-01")
        raise MonthError(
            f"The month must have ended: the return counts patients at the end of the month. "
            f"Choose {latest:%B %Y} ({latest:%Y-%m}) or earlier"
        )
    return end


@dataclasses.dataclass(frozen=True)
class PomiRow:
    practice_code: str
    practice_name: str
    patient_list_size: int
    total_pat_enbld: int
    pat_detcoderec_enbld: int

    def values(self) -> dict[str, int]:
        return {
            "patient_list_size": self.patient_list_size,
            "Total_Pat_Enbld": self.total_pat_enbld,
            "Pat_DetCodeRec_Enbld": self.pat_detcoderec_enbld,
        }


def rows(practices, end: datetime.date) -> list[PomiRow]:
    """One row per practice, in the order given, counted at the end of the day `end`."""
    practices = list(practices)
    counts = online_access_counts(
        practices,
        end,
        granted=granted_patient_ids(practices, end),
        coded=granted_patient_ids(practices, end, levels=CODED_OR_FULLER),
    )
    made = []
    for practice in practices:
        found = counts.get(practice.pk, {"registered": 0, "online": 0, "coded": 0})
        made.append(
            PomiRow(practice.ods_code, practice.name, found["registered"], found["online"], found["coded"])
        )
    return made


def csv_text(found: list[PomiRow], end: datetime.date, organisation=None) -> str:
    """The return in POMI's long format: a row per practice per field."""
    stream = io.StringIO(newline="")
    out = writer(stream)
    out.writerow(COLUMNS)
    code, name = (organisation.code, organisation.name) if organisation is not None else ("", "")
    for row in found:
        for field, value in row.values().items():
            out.writerow([end.isoformat(), code, name, row.practice_code, row.practice_name, field, value])
    return stream.getvalue()
