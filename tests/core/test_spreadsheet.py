"""The one CSV writer: no cell it writes runs as a formula when staff open the file in a spreadsheet."""

import csv
import io
import re
from pathlib import Path

import pytest

from recordaccess.core import spreadsheet

PACKAGE = Path(spreadsheet.__file__).parent.parent  # all of recordaccess/, not only the core


def written(*rows) -> str:
    out = io.StringIO()
    spreadsheet.writer(out).writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://x","y")', "=1+2", "@SUM(A1)", "-2+3", "+1", "\t=1+2", "\r=1+2", "=", "-"],
)
def test_a_cell_a_spreadsheet_would_run_is_written_after_a_single_quote(cell):
    [[back]] = csv.reader(io.StringIO(written([cell])))
    assert back == "'" + cell


@pytest.mark.parametrize(
    "cell",
    [
        "9434765919",
        "1364751000000106",
        "01/02/1980",
        "1980-02-01",
        "Zoë",
        "O'Neill",
        "",
        "a=b",
        " ",
        "07700 900123",
    ],
)
def test_nhs_numbers_codes_dates_and_ordinary_text_round_trip_unchanged(cell):
    [[back]] = csv.reader(io.StringIO(written([cell])))
    assert back == cell


def test_every_field_is_quoted_and_quotes_commas_and_line_breaks_inside_a_cell_survive():
    text = written(["row", 2, 'say "hi", then\nleave'], [None, "x"])
    assert text == '"row","2","say ""hi"", then\nleave"\r\n"","x"\r\n'
    assert list(csv.reader(io.StringIO(text))) == [["row", "2", 'say "hi", then\nleave'], ["", "x"]]


def test_every_csv_the_service_writes_goes_through_the_one_writer():
    """A new export that called csv.writer itself would skip the formula rule."""
    direct = re.compile(r"\bcsv\.(writer|DictWriter)\(")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "spreadsheet.py" and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
