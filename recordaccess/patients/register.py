"""Reading a register export from EMIS Web or SystmOne: the file, its columns, and each row's checks.

Pure functions over text, no database: the importer streams rows through `RowParser` and writes what it
returns. Files are read as they come from the clinical systems: UTF-8 with or without a byte-order mark,
UTF-16 (Excel's "Unicode text"), or Windows-1252; comma or tab separated; CRLF or LF; quoted fields.
"""

import codecs
import csv
import datetime
import hashlib
import io
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import ClassVar

from recordaccess.core import nhs_number
from recordaccess.core.spreadsheet import starts_formula
from recordaccess.patients.contacts import (
    ContactError,
    normalise_email,
    normalise_postcode,
    normalise_uk_mobile,
)
from recordaccess.patients.names import search_key

REJECTED = "rejected"
WARNING = "warning"

# Our field → the header names EMIS Web and SystmOne searches use for it, compared without case or spaces.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "nhs_number": ("nhs number", "nhs no", "nhs", "nhs num", "patient nhs number"),
    "given_name": (
        "forename",
        "forenames",
        "first name",
        "first names",
        "given name",
        "given names",
        "first",
    ),
    "family_name": ("surname", "family name", "last name", "lastname"),
    "date_of_birth": ("date of birth", "dob", "birth date", "birthdate", "d.o.b."),
    "sex": ("sex", "gender"),
    "address_line_1": (
        "address line 1",
        "address 1",
        "house name",
        "house name/flat",
        "house name / flat",
        "premises",
        "flat",
    ),
    "address_line_2": (
        "address line 2",
        "address 2",
        "number and street",
        "street",
        "road",
        "house number and road",
    ),
    "address_line_3": ("address line 3", "address 3", "locality", "village", "district"),
    "town": ("town", "post town", "city", "address line 4", "address 4", "town/city"),
    "county": ("county", "address line 5", "address 5"),
    "postcode": ("postcode", "post code", "postal code"),
    "mobile": (
        "mobile telephone",
        "mobile number",
        "mobile",
        "mobile phone",
        "mobile tel",
        "mobile telephone number",
        "mobile phone number",
    ),
    "email": ("email address", "email", "e-mail address", "e-mail"),
    "registered_on": (
        "registration date",
        "date of registration",
        "registered date",
        "date registered",
        "registration start date",
    ),
    "date_of_death": ("date of death", "dod", "deceased date"),
}
REQUIRED = ("nhs_number", "family_name", "date_of_birth")
LABELS = {
    "nhs_number": "NHS number",
    "given_name": "Forename",
    "family_name": "Surname",
    "date_of_birth": "Date of birth",
    "registered_on": "Registration date",
    "date_of_death": "Date of death",
}
# The order of the values a parsed row carries, and of the columns the importer writes.
VALUE_FIELDS = (
    "nhs_number",
    "given_name",
    "family_name",
    "given_key",
    "family_key",
    "date_of_birth",
    "sex",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "town",
    "county",
    "postcode",
    "mobile",
    "email",
    "registered_on",
    "date_of_death",
    "status",
)
SEX_VALUES = {
    "m": "male",
    "male": "male",
    "f": "female",
    "female": "female",
    "u": "unknown",
    "unknown": "unknown",
    "not known": "unknown",
    "not specified": "unknown",
    "": "unknown",
    "i": "other",
    "indeterminate": "other",
    "other": "other",
    "x": "other",
}
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}
_DATE_PARTS = re.compile(r"^(\d{1,2})[/\-. ]([A-Za-z]{3,9}|\d{1,2})[/\-. ](\d{4})(?:[ T].*)?$")
_NORMALISE_HEADER = re.compile(r"[^a-z0-9]+")
SNIFF_BYTES = 64 * 1024
UNRECOGNISED_DATE = "is not a date we recognise: use a form like 01/02/1980"
UNREAL_DATE = "is not a real date"
INVALID_NHS_NUMBER = "NHS number is not valid (wrong length or check digit)"
DUPLICATE = "Duplicate: this NHS number is on an earlier row, which was kept"
FORMULA_NAME = (
    "{} begins with {!r}, which a spreadsheet runs as a formula: imported as written. This report shows it after "
    "a ' so it cannot run; check the name in the clinical system"
)


class UnusableFile(Exception):
    """The file cannot be read as a register at all: the import stops before it starts (exit 2)."""


@dataclass(slots=True)
class Problem:
    row: int
    column: str
    value: str
    problem: str
    severity: str


def header_key(name: str) -> str:
    return _NORMALISE_HEADER.sub("", name.strip().lstrip("\ufeff").lower())


def load_mapping(path: str | Path, fields=HEADER_NAMES) -> dict[str, str]:
    """A TOML file naming the columns we do not recognise: `[columns]` then `nhs_number = "Patient No"`."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UnusableFile(f"The mapping file {path} cannot be read: {error}") from error
    columns = data.get("columns", data)
    unknown = sorted(set(columns) - set(fields))
    if unknown:
        raise UnusableFile(
            f"The mapping file names fields we do not have: {', '.join(unknown)}. Use: {', '.join(fields)}."
        )
    if not all(isinstance(v, str) for v in columns.values()):
        raise UnusableFile("In the mapping file, each field takes the column's header as text in quotes.")
    return dict(columns)


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise UnusableFile("This is not a CSV file: it contains binary data. Export the search as CSV.")
    return "utf-8"


def _valid_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as stream:
        try:
            while chunk := stream.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


@dataclass
class RegisterFile:
    """An opened export: its encoding, delimiter, headers and which column holds each field.

    Subclasses name other exports' fields (flags.FlagFile) through `header_names`, `required` and `labels`.
    """

    header_names: ClassVar[dict[str, tuple[str, ...]]] = HEADER_NAMES
    required: ClassVar[tuple[str, ...]] = REQUIRED
    labels: ClassVar[dict[str, str]] = LABELS

    path: Path
    encoding: str
    delimiter: str
    headers: list[str]
    columns: dict[str, int]
    size: int
    unrecognised: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, path: str | Path, mapping: dict[str, str] | None = None) -> "RegisterFile":
        path = Path(path)
        try:
            size = path.stat().st_size
            with path.open("rb") as stream:
                head = stream.read(SNIFF_BYTES)
        except OSError as error:
            raise UnusableFile(f"Cannot read {path}: {error.strerror or error}") from error
        if not head.strip():
            raise UnusableFile("The file is empty.")
        encoding = detect_encoding(head)
        if encoding == "utf-8" and not _valid_utf8(path):
            encoding = "cp1252"
            try:
                with path.open("r", encoding="cp1252", newline="") as stream:
                    while stream.read(1 << 20):
                        pass
            except UnicodeDecodeError as error:
                raise UnusableFile(
                    "The file's text encoding is not one we know (UTF-8, UTF-16 or Windows-1252). "
                    "Export it again as CSV (UTF-8)."
                ) from error
        with path.open("r", encoding=encoding, newline="") as stream:
            first_line = stream.readline()
        delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
        headers = next(csv.reader([first_line], delimiter=delimiter), [])
        if len(headers) < 2:
            raise UnusableFile(
                "This does not look like a CSV export: the first line should be the column headers."
            )
        columns, unrecognised = _match_columns(headers, mapping or {}, cls.header_names)
        missing = [cls.labels[f] for f in cls.required if f not in columns]
        if "nhs_number" not in columns:
            raise UnusableFile(
                "No NHS number column: the file needs a column headed 'NHS Number' (or name it in a mapping file "
                f"with --mapping). Columns found: {', '.join(h.strip() for h in headers)}."
            )
        if missing:
            raise UnusableFile(
                f"Missing required columns: {', '.join(missing)}. Name them in a mapping file."
            )
        return cls(path, encoding, delimiter, headers, columns, size, unrecognised)

    def records(self) -> Iterator[tuple[int, list[str], int]]:
        """Each data row with its spreadsheet row number (the header is row 1) and the bytes read so far."""
        with self.path.open("rb") as raw:
            text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
            reader = csv.reader(text, delimiter=self.delimiter)
            index = 1
            try:
                next(reader, None)
                for index, record in enumerate(reader, start=2):
                    if record and any(record):
                        yield index, record, raw.tell()
            except csv.Error as error:  # a quote left open swallows the rest of the file into one cell
                raise UnusableFile(
                    f"Row {index + 1} cannot be read as CSV ({error}): a quote may be left open, or this is not a "
                    "CSV export. Export the search again as CSV."
                ) from error


def _match_columns(
    headers: list[str], mapping: dict[str, str], header_names
) -> tuple[dict[str, int], list[str]]:
    known = {header_key(name): field for field, names in header_names.items() for name in names}
    by_key = {header_key(h): i for i, h in enumerate(headers)}
    columns: dict[str, int] = {}
    for field_name, header in mapping.items():
        if header_key(header) not in by_key:
            raise UnusableFile(
                f"The mapping names a column '{header}' for {field_name}, but the file has no such column."
            )
        columns[field_name] = by_key[header_key(header)]
    unrecognised = []
    for i, header in enumerate(headers):
        field_name = known.get(header_key(header))
        if field_name and field_name not in columns and i not in columns.values():
            columns[field_name] = i
        elif not field_name and i not in columns.values():
            unrecognised.append(header)
    return columns, unrecognised


def parse_date(text: str) -> datetime.date:
    """01/02/1980, 1980-02-01, 01-Feb-1980, 1 February 1980, with or without a time after it."""
    value = text.strip()
    if (
        len(value) == 10
        and value[2] == "/"
        and value[5] == "/"
        and value[:2].isdigit()
        and value[3:5].isdigit()
    ):
        try:  # the common case, 01/02/1980, without the regular expression
            return datetime.date(int(value[6:]), int(value[3:5]), int(value[:2]))
        except ValueError:
            raise ValueError(UNREAL_DATE) from None
    if len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
        year, month_number, day = value[:4], value[5:7], value[8:10]
        if not (month_number.isdigit() and day.isdigit()):
            raise ValueError(UNRECOGNISED_DATE)
    else:
        match = _DATE_PARTS.match(value)
        if not match:
            raise ValueError(UNRECOGNISED_DATE)
        day, month, year = match.groups()
        month_number = month if month.isdigit() else MONTHS.get(month[:3].lower())
        if month_number is None:
            raise ValueError(UNRECOGNISED_DATE)
    try:
        return datetime.date(int(year), int(month_number), int(day))
    except ValueError:
        raise ValueError(UNREAL_DATE) from None


def source_hash(values: tuple) -> str:
    """A digest of a row's values, stored with the patient, so a re-import can tell changed from unchanged."""
    return hashlib.blake2b("\x1f".join(map(str, values)).encode(), digest_size=16).hexdigest()


class RowParser:
    """Checks one row and returns its values for the database, with any problems to report."""

    def __init__(self, register: RegisterFile, *, today: datetime.date | None = None):
        self.today = today or datetime.date.today()
        self.columns = register.columns
        self.headers = [h.strip().lstrip("\ufeff") for h in register.headers]
        # One itemgetter takes every field from a row at once; a field the file lacks reads the empty cell
        # added at the end of each row.
        self.width = len(register.headers)
        self.take = itemgetter(*(register.columns.get(name, self.width) for name in HEADER_NAMES))
        # Valid NHS numbers met so far, as integers (a million fit in tens of megabytes). A later row with an
        # accepted row's number is a duplicate; a full import counts rejected rows' patients as present too.
        self.accepted: set[int] = set()
        self.rejected_numbers: set[int] = set()

    def present(self) -> set[int]:
        """Every patient the file lists, accepted or not."""
        return self.accepted | self.rejected_numbers

    def fields(self, cells: list[str]) -> list[str]:
        """The row's cells in HEADER_NAMES order, stripped."""
        if len(cells) <= self.width:
            cells = [*cells, *([""] * (self.width + 1 - len(cells)))]
        return list(map(str.strip, self.take(cells)))

    def _header(self, name: str) -> str:
        index = self.columns.get(name)
        return self.headers[index] if index is not None else LABELS.get(name, name)

    def _problem(self, row: int, name: str, value: str, problem: str, severity: str) -> Problem:
        return Problem(row, self._header(name), value, problem, severity)

    def _date(self, row, text, name, problems, *, required: bool) -> datetime.date | None:
        severity = REJECTED if required else WARNING
        if not text:
            if required:
                problems.append(self._problem(row, name, "", f"{LABELS[name]} is missing", severity))
            return None
        try:
            value = parse_date(text)
        except ValueError as error:
            problems.append(self._problem(row, name, text, f"{LABELS[name]} {error}", severity))
            return None
        if value > self.today:
            problems.append(self._problem(row, name, text, f"{LABELS[name]} is in the future", severity))
            return None
        if value.year < 1880:
            problems.append(self._problem(row, name, text, f"{LABELS[name]} is before 1880", severity))
            return None
        return value

    def parse(self, row: int, cells: list[str]) -> tuple[tuple | None, list[Problem]]:
        problems: list[Problem] = []
        (
            raw_number,
            given,
            family,
            born_text,
            raw_sex,
            line_1,
            line_2,
            line_3,
            town,
            county,
            postcode_text,
            mobile_text,
            email_text,
            registered_text,
            died_text,
        ) = self.fields(cells)
        number = nhs_number.normalise(raw_number)
        valid_number = bool(number) and nhs_number.is_valid(number)
        if not number:
            problems.append(self._problem(row, "nhs_number", "", "NHS number is missing", REJECTED))
        elif not valid_number:
            problems.append(self._problem(row, "nhs_number", raw_number, INVALID_NHS_NUMBER, REJECTED))
        elif int(number) in self.accepted:
            problems.append(self._problem(row, "nhs_number", raw_number, DUPLICATE, REJECTED))
        if not family:
            problems.append(self._problem(row, "family_name", "", "Surname is missing", REJECTED))
        born = self._date(row, born_text, "date_of_birth", problems, required=True)
        if problems:
            if valid_number:
                self.rejected_numbers.add(int(number))
            return None, problems
        self.accepted.add(int(number))
        for name, text in (("given_name", given), ("family_name", family)):
            if starts_formula(text):
                problems.append(
                    self._problem(row, name, text, FORMULA_NAME.format(LABELS[name], text[0]), WARNING)
                )

        sex = SEX_VALUES.get(raw_sex.lower())
        if sex is None:
            problems.append(
                self._problem(row, "sex", raw_sex, "Sex not recognised: recorded as not known", WARNING)
            )
            sex = "unknown"
        mobile = self._contact(row, mobile_text, "mobile", normalise_uk_mobile, problems)
        email = self._contact(row, email_text, "email", normalise_email, problems)
        postcode = self._contact(row, postcode_text, "postcode", normalise_postcode, problems)
        registered = self._date(row, registered_text, "registered_on", problems, required=False)
        died = self._date(row, died_text, "date_of_death", problems, required=False)
        values = (
            number, given, family, search_key(given), search_key(family), born, sex,
            line_1, line_2, line_3, town, county,
            postcode, mobile, email, registered, died, "deceased" if died else "registered",
        )  # fmt: skip
        return values, problems

    def _contact(self, row, text, name, normalise, problems) -> str:
        if not text:
            return ""
        try:
            return normalise(text)
        except ContactError as error:
            problems.append(self._problem(row, name, text, f"{error}: imported without it", WARNING))
            return ""
