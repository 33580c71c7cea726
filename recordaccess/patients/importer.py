"""Importing a register export: streaming, in batches of one transaction each, idempotent by NHS number.

This is the hot path for an ICB loading over a million patients, so rows go to the database through
`executemany` rather than model instances, and memory stays flat: only the current batch and the set of
NHS numbers seen (as integers) are held.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TextIO

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from recordaccess.core import spreadsheet
from recordaccess.core.bulk import BulkInsert
from recordaccess.patients.models import AccessStatus, ImportStatus, Patient, Preference, RegisterImport
from recordaccess.patients.register import (
    VALUE_FIELDS,
    Problem,
    RegisterFile,
    RowParser,
    UnusableFile,
    source_hash,
)

BATCH_SIZE = 10_000
# A report lists this many problems, then counts the rest by kind.
REPORT_LINES = 10_000
# A file whose first this many rows are all rejected is refused as not an export at all.
FIRST_ROWS = 1_000
REPORT_HEADER = ["row", "column", "value", "problem", "severity"]
DATE_FIELDS = {VALUE_FIELDS.index(name) for name in ("date_of_birth", "registered_on", "date_of_death")}
STATUS = VALUE_FIELDS.index("status")


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: int = 0
    left: int | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        if data["left"] is None:
            del data["left"]
        return data


class ImportStopped(Exception):
    """A batch could not be written. Earlier batches are saved; running the import again completes it."""

    def __init__(self, row: int, reason: str, summary: ImportSummary):
        super().__init__(
            f"Stopped at row {row}: {reason}. Rows before {row} are saved; run the same import again to finish it."
        )
        self.row = row
        self.summary = summary


class ReportWriter:
    """The problems report: one line per problem, `row,column,value,problem,severity`, through the one CSV writer.

    The first REPORT_LINES problems are listed; after them each kind of problem is only counted, and `close` adds
    one line per kind with its count, so a file of garbage cannot fill the disk with its report.
    """

    def __init__(self, stream: TextIO | None, *, limit: int = REPORT_LINES):
        self._writer = spreadsheet.writer(stream) if stream is not None else None
        self.limit = limit
        self.listed = 0
        self.counts: Counter[tuple[str, str, str]] = Counter()  # every problem by kind, listed or not
        self._unlisted: Counter[tuple[str, str, str]] = Counter()
        if self._writer:
            self._writer.writerow(REPORT_HEADER)

    def write(self, problems: list[Problem]) -> None:
        for p in problems:
            kind = (p.column, p.problem, p.severity)
            self.counts[kind] += 1
            if self.listed >= self.limit:
                self._unlisted[kind] += 1
                continue
            self.listed += 1
            if self._writer:
                self._writer.writerow((p.row, p.column, p.value, p.problem, p.severity))

    def close(self) -> None:
        if not self._writer:
            return
        for (column, problem, severity), count in self._unlisted.items():
            more = f"{count:,} more row{'s' if count != 1 else ''} not listed"
            self._writer.writerow(
                (
                    "",
                    column,
                    "",
                    f"{problem} ({more}: the report lists the first {self.limit:,} problems)",
                    severity,
                )
            )

    def refuse_if_all_unusable(self, *, rows: int, rejected: int, kind: str) -> None:
        """Stop when the first FIRST_ROWS rows were all rejected: the file is not the export it claims to be,
        and reading, counting and reporting the rest would take minutes and write a report larger than it."""
        if rows != FIRST_ROWS or rejected != FIRST_ROWS:
            return
        (column, problem, _), _ = self.counts.most_common(1)[0]
        raise UnusableFile(
            f"The first {FIRST_ROWS:,} rows are all unusable (most often: {column}, {problem}), so this is not a "
            f"{kind} export we can read. Nothing was imported: check it is the right file for this practice, "
            "exported as CSV."
        )


class _PatientTable:
    """The SQL the importer writes with, built once from the model so names cannot drift."""

    def __init__(self, practice_id: int, import_id: int):
        self.practice_id = practice_id
        self.import_id = import_id
        # A first load: the practice has no patients, and the parser drops repeated NHS numbers, so every
        # accepted row is new and there is nothing to look up.
        self.first_load = not Patient.objects.filter(practice_id=practice_id).exists()
        self.table = connection.ops.quote_name(Patient._meta.db_table)
        quote = connection.ops.quote_name
        self.inserter = BulkInsert(
            Patient,
            [
                "practice_id",
                *VALUE_FIELDS,
                "source_hash",
                "last_import_id",
                "preference",
                "access_status",
                "created_at",
                "updated_at",
            ],
        )
        assignments = ", ".join(
            f"{quote(c)} = %s" for c in [*VALUE_FIELDS, "source_hash", "last_import_id", "updated_at"]
        )
        self.update_sql = f"UPDATE {self.table} SET {assignments}, {quote('left_on')} = NULL WHERE id = %s"
        self.adapt_date = connection.ops.adapt_datefield_value

    def adapt(self, values: tuple) -> list:
        row = list(values)
        for i in DATE_FIELDS:
            if row[i] is not None:
                row[i] = self.adapt_date(row[i])
        return row

    def existing(self, cursor, numbers: list[str]) -> dict[str, tuple[int, str, str]]:
        if self.first_load:
            return {}
        if connection.vendor == "postgresql":
            # A join from the batch's numbers probes the unique index once each, whatever the statistics say.
            cursor.execute(
                f"SELECT p.nhs_number, p.id, p.source_hash, p.status FROM unnest(%s::varchar[]) AS n(nhs_number) "
                f"JOIN {self.table} p ON p.practice_id = %s AND p.nhs_number = n.nhs_number",
                [numbers, self.practice_id],
            )
        else:
            select = f"SELECT nhs_number, id, source_hash, status FROM {self.table} WHERE practice_id = %s AND nhs_number"
            cursor.execute(f"{select} IN ({', '.join(['%s'] * len(numbers))})", [self.practice_id, *numbers])
        return {number: (pk, digest, status) for number, pk, digest, status in cursor.fetchall()}

    def insert(self, cursor, rows: list[list]) -> None:
        self.inserter.write(cursor, rows)


def import_register(
    *,
    record: RegisterImport,
    register: RegisterFile,
    report: TextIO | None = None,
    progress: Callable[[int, ImportSummary], None] | None = None,
    batch_size: int | None = None,
) -> ImportSummary:
    """Read every row, write each batch in its own transaction, and return the figures.

    `record` is the RegisterImport row for this run; its progress is updated after each batch.
    """
    batch_size = batch_size or BATCH_SIZE
    summary = ImportSummary()
    parser = RowParser(register)
    writer = ReportWriter(report)
    table = _PatientTable(record.practice_id, record.pk)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    batch: list[tuple] = []
    first_row_of_batch = 2

    def flush(batch: list[tuple], first_row_of_batch: int, bytes_done: int) -> None:
        if not batch:
            return
        try:
            with transaction.atomic():
                _write_batch(table, batch, summary, now, dry_run=record.dry_run)
                _save_progress(record, summary, bytes_done)
        except DatabaseError as error:
            _finish(record, summary, ImportStatus.STOPPED, str(error), stopped_at_row=first_row_of_batch)
            raise ImportStopped(
                first_row_of_batch, str(error).strip() or type(error).__name__, summary
            ) from error
        if progress is not None:
            progress(bytes_done, summary)

    for row_number, cells, bytes_done in register.records():
        if not batch:
            first_row_of_batch = row_number
        summary.rows += 1
        values, problems = parser.parse(row_number, cells)
        if problems:
            writer.write(problems)
            if values is None:
                summary.rejected += 1
                writer.refuse_if_all_unusable(rows=summary.rows, rejected=summary.rejected, kind="register")
            else:
                summary.warnings += len(problems)
        if values is not None:
            batch.append(values)
            if len(batch) >= batch_size:
                flush(batch, first_row_of_batch, bytes_done)
                batch = []
    flush(batch, first_row_of_batch, register.size)
    writer.close()
    if connection.vendor == "postgresql" and summary.created > 10_000:
        with connection.cursor() as cursor:  # fresh statistics, so searches and the next import plan well
            cursor.execute(f"ANALYZE {table.table}")
    if record.full:
        summary.left = _mark_missing_as_left(record, parser.present())
    _finish(record, summary, ImportStatus.COMPLETED, "", stopped_at_row=None)
    if progress is not None:
        progress(register.size, summary)
    return summary


def _write_batch(
    table: _PatientTable, batch: list[tuple], summary: ImportSummary, now, *, dry_run: bool
) -> None:
    with connection.cursor() as cursor:
        existing = table.existing(cursor, [values[0] for values in batch])
        inserts, updates = [], []
        for values in batch:
            digest = source_hash(values)
            found = existing.get(values[0])
            if found is None:
                inserts.append(
                    [
                        table.practice_id,
                        *table.adapt(values),
                        digest,
                        table.import_id,
                        Preference.NOT_KNOWN.value,
                        AccessStatus.NOT_DECIDED.value,
                        now,
                        now,
                    ]
                )
            elif found[1] == digest and found[2] == values[STATUS]:
                summary.unchanged += 1
            else:
                updates.append([*table.adapt(values), digest, table.import_id, now, found[0]])
        if not dry_run:
            if inserts:
                table.insert(cursor, inserts)
            if updates:
                cursor.executemany(table.update_sql, updates)
        summary.created += len(inserts)
        summary.updated += len(updates)


def _mark_missing_as_left(record: RegisterImport, present: set[int]) -> int:
    """A full register lists everyone registered: those it leaves out have left (never deleted)."""
    registered = Patient.objects.filter(practice_id=record.practice_id, status="registered")
    missing = [pk for pk, number in registered.values_list("pk", "nhs_number").iterator(chunk_size=10_000)
               if int(number) not in present]  # fmt: skip
    if not record.dry_run:
        today = datetime.date.today()
        for start in range(0, len(missing), BATCH_SIZE):
            with transaction.atomic():
                Patient.objects.filter(
                    pk__in=missing[start : start + BATCH_SIZE], status="registered"
                ).update(status="left", left_on=today, updated_at=timezone.now())
    return len(missing)


def _save_progress(record: RegisterImport, summary: ImportSummary, bytes_done: int) -> None:
    RegisterImport.objects.filter(pk=record.pk).update(bytes_done=bytes_done, **_figures(summary))


def _figures(summary: ImportSummary) -> dict:
    return {
        k: getattr(summary, k) for k in ("rows", "created", "updated", "unchanged", "rejected", "warnings")
    }


def _finish(
    record: RegisterImport, summary: ImportSummary, status: str, message: str, *, stopped_at_row
) -> None:
    record.status = status
    record.message = message
    record.stopped_at_row = stopped_at_row
    record.left = summary.left
    record.finished_at = timezone.now()
    for key, value in _figures(summary).items():
        setattr(record, key, value)
    record.save()
