"""The programme dashboard page and its CSVs: every role (observers too) sees the figures and nothing that names a
patient; the date range and its errors; SVG charts hidden from screen readers with a table beside each; CSVs
of every figure, written safely. The figures were refreshed as at a fixed TODAY (tests/reports/test_figures.py),
and every range asked for ends on or before it, so nothing depends on when the tests run."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from recordaccess.intake.models import AccessRequest
from recordaccess.practices.roles import Role
from recordaccess.reports import refresh
from recordaccess.reports.tables import SLUGS
from tests.reports.conftest import TODAY, day

pytestmark = pytest.mark.django_db


def _url(practice, name="staff:programme", **kwargs) -> str:
    return reverse(name, kwargs={"ods": practice.ods_code, **kwargs})


def _range(start: datetime.date, end: datetime.date) -> dict:
    return {
        "start_day": str(start.day),
        "start_month": str(start.month),
        "start_year": str(start.year),
        "end_day": str(end.day),
        "end_month": str(end.month),
        "end_year": str(end.year),
    }


RANGE = _range(day(59), TODAY)


def _identifying(practice) -> list[str]:
    """What would name a patient or a requester: names, NHS numbers, request references, booking names."""
    from recordaccess.patients.models import Patient

    found = ["Booker One", "Asker1", "Surname1", "Private?", "07700900001"]
    for given, family, number in Patient.objects.filter(practice=practice).values_list(
        "given_name", "family_name", "nhs_number"
    ):
        found += [given, family, number]
    found += [
        r.upper() for r in AccessRequest.objects.filter(practice=practice).values_list("reference", flat=True)
    ]
    found += list(AccessRequest.objects.filter(practice=practice).values_list("reference", flat=True))
    return found


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_the_figures_and_nothing_that_names_a_patient(staff_client, practice, built, role):
    answer = staff_client(role).get(_url(practice), RANGE)
    assert answer.status_code == 200
    page = answer.content.decode()
    for identifying in _identifying(practice):
        assert identifying not in page, identifying
    funnel = page[page.index('id="chart-funnel"') :]
    assert re.search(r"Patients on the register</th><td[^>]*>11<", funnel)
    assert re.search(r"Requests for access received</th><td[^>]*>7<", funnel)
    assert re.search(r"Granted after redaction</th><td[^>]*>1<", funnel)
    assert 'id="figure-waiting">2<' in page
    assert "half were decided within <strong>15 days</strong>" in page
    assert "9 in 10 within <strong>30 days</strong>" in page
    assert "estimated cost <strong>£0.68</strong>" in page
    assert re.search(r'id="as-at">Figures as at \d\d:\d\d on ', page)
    assert 'id="figure-excluded">18.2%<' in page


def test_each_chart_is_svg_hidden_from_screen_readers_with_a_table_and_a_csv(staff_client, practice, built):
    page = staff_client(Role.OBSERVER).get(_url(practice), RANGE).content.decode()
    for chart in (
        "chart-funnel",
        "chart-preferences",
        "chart-waiting",
        "chart-decisions",
        "chart-conversations",
    ):
        start = page.index(f'id="{chart}"')
        figure = page[start : page.index("</figure>", start)]
        drawing = figure[: figure.index("</svg>")]
        assert 'aria-hidden="true"' in drawing and "<svg" in drawing, chart
    funnel = page[page.index('id="chart-funnel"') :]
    assert '<div class="nhsuk-u-visually-hidden" id="chart-funnel-for-screen-readers">' in funnel
    waiting = page[page.index('id="chart-waiting-list-for-screen-readers"') :]
    assert re.search(r"28 May 2026</th><td[^>]*>2</td><td[^>]*>17</td>", waiting)  # day(18)
    for slug in SLUGS:
        assert f"/programme/{slug}.csv?start={day(59).isoformat()}&amp;end={TODAY.isoformat()}" in page


def test_the_date_range_defaults_and_refuses_what_cannot_be(staff_client, practice, built):
    client = staff_client(Role.ADMINISTRATOR)
    assert client.get(_url(practice)).status_code == 200  # the last 12 weeks (or since go-live)
    cases = [
        ({**RANGE, "start_day": "31", "start_month": "2"}, "The start date must be a real date"),
        ({**RANGE, "end_year": "26"}, "The year of the end date must include 4 numbers"),
        ({**RANGE, "start_day": ""}, "The start date must include a day"),
        (_range(TODAY, day(1)), "The start date must be the same as or before the end date"),
        (_range(day(400), day(1)), "The dates must be no more than a year apart (366 days)"),
        (_range(day(1), datetime.date(2999, 1, 1)), "The end date must be today or in the past"),
    ]
    for query, message in cases:
        answer = client.get(_url(practice), query)
        assert answer.status_code == 400, message
        assert message in answer.content.decode()


def test_a_narrower_range_shows_that_ranges_flows(staff_client, practice, built):
    page = staff_client(Role.RECEPTION).get(_url(practice), _range(day(10), TODAY)).content.decode()
    assert "half were decided within <strong>17 days</strong>" in page
    assert re.search(
        r"Requests for access received</th><td[^>]*>2<", page[page.index('id="chart-decisions"') :]
    )


def test_the_csv_holds_every_figure(staff_client, practice, built):
    answer = staff_client(Role.OBSERVER).get(_url(practice, "staff:programme_csv"), RANGE)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    assert f'filename="programme-{practice.ods_code}-' in answer["Content-Disposition"]
    text = answer.content.decode()
    for identifying in _identifying(practice):
        assert identifying not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Practice", "From", "To", "Section", "Row", "Column", "Value"]
    found = {(row[3], row[4], row[5]): row[6] for row in rows[1:]}
    funnel = "How far patients have got, by the end of the period"
    assert found[funnel, "Told by any channel", "Number"] == "4"
    times = "How long decisions and answers took, for those in the period"
    assert found[times, "Days from request to decision", "Median"] == "15"
    assert found[times, "Hours from question to answer", "90th centile"] == "30"
    assert found["The waiting list at the end of each day", day(18).isoformat(), "Oldest wait (days)"] == "17"
    assert found["Patients' questions", "Open at the end of the period", "Number"] == "1"
    messages = "Messages sent in the period by channel and status now, with the estimated cost"
    assert found[messages, "All channels", "Estimated cost"] == "£0.68"
    assert all(row[0] == practice.ods_code for row in rows[1:])


@pytest.mark.parametrize("slug", SLUGS)
def test_each_chart_has_its_own_csv(staff_client, practice, built, slug):
    answer = staff_client(Role.OBSERVER).get(_url(practice, "staff:programme_chart_csv", chart=slug), RANGE)
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert len(rows) >= 2 and len({len(row) for row in rows}) == 1


def test_csv_refuses_an_unknown_chart_and_wrong_dates(staff_client, practice, built):
    client = staff_client(Role.OBSERVER)
    assert client.get(_url(practice, "staff:programme_chart_csv", chart="nonsense"), RANGE).status_code == 404
    wrong = client.get(_url(practice, "staff:programme_csv"), _range(TODAY, day(1)))
    assert wrong.status_code == 400
    assert "The start date must be the same as or before the end date" in wrong.content.decode()


def test_a_cell_that_looks_like_a_formula_is_written_as_text(practice):
    from recordaccess.reports.tables import Table, table_csv

    text = table_csv(Table("x", "X", ["Row", "Value"], [["=HYPERLINK(1)", 1]]))
    assert '"\'=HYPERLINK(1)"' in text


def test_another_practices_dashboard_is_not_found(staff_client, practice, other_practice, built):
    refresh.refresh_practice(other_practice, today=TODAY)
    answer = staff_client(Role.OBSERVER).get(_url(other_practice), RANGE)
    assert answer.status_code == 404
