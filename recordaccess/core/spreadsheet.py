"""The one CSV writer: every CSV the service writes (problem reports, coding exports) goes through it.

Staff open these files in Excel, LibreOffice or Google Sheets, which run a cell that begins with = + - or @ (and,
through a tab or carriage return before it, the same) as a formula. A register or a form can put such text in a
cell, so following OWASP's rule for CSV injection, those cells are written with a single quote in front (the
spreadsheet then shows text) and every field is quoted. NHS numbers, SNOMED CT codes and dates begin with a digit
and pass through unchanged.
"""

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def starts_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> str:
    """The cell as text a spreadsheet shows and never runs."""
    text = "" if value is None else str(value)
    return "'" + text if starts_formula(text) else text


class SpreadsheetWriter:
    def __init__(self, stream: TextIO):
        self._writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: TextIO) -> SpreadsheetWriter:
    """A writer for `stream` (opened with newline="")."""
    return SpreadsheetWriter(stream)
