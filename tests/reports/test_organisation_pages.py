"""An organisation's roll-up, its CSV, a practice's figures and the monthly return, as its observer sees them."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.review.models import Decision

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr class="nhsuk-table__row" id="practice-([A-Z0-9]+)">')


def rollup(client, world, **query):
    return client.get(reverse("staff:organisation", kwargs={"code": world.icb.code}), query)


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_an_icbs_roll_up_lists_its_own_and_its_pcns_practices_and_no_other(observer_client, world):
    page = rollup(observer_client, world).content.decode()
    assert ROW.findall(page) == [world.in_icb.ods_code, world.in_pcn.ods_code]  # by name: Aire, Beck
    assert world.outside.name not in page
    assert "Riverside PCN (U00001)" in page


def test_the_totals_row_adds_up_the_practices(observer_client, world):
    page = rollup(observer_client, world).content.decode()
    totals = page.split('id="totals"')[1].split("</tr>")[0]
    cells = re.findall(r'nhsuk-table__cell--numeric">([^<]*)<', totals)
    # Registered patients: each practice has its distinctive patient and three from requests.
    assert cells[0] == "8"
    assert "Total, 2 practices" in totals


@pytest.mark.parametrize(
    ("sort", "order", "expected"),
    [
        ("practice", "asc", ["C00001", "B00001"]),
        ("practice", "desc", ["B00001", "C00001"]),
        ("excluded", "desc", ["C00001", "B00001"]),  # B has no count yet: last either way
        ("excluded", "asc", ["C00001", "B00001"]),
    ],
)
def test_any_column_sorts_with_a_plain_link_and_says_so(observer_client, world, sort, order, expected):
    page = rollup(observer_client, world, sort=sort, order=order).content.decode()
    assert ROW.findall(page) == expected
    header = re.search(rf'<th [^>]*aria-sort="(\w+)" id="column-{sort}"', page)
    assert header[1] == ("ascending" if order == "asc" else "descending")
    assert page.count('aria-sort="none"') == page.count("aria-sort=") - 1


def test_a_heading_links_to_the_other_order_keeping_the_dates(observer_client, world):
    page = rollup(observer_client, world, sort="waiting", order="asc").content.decode()
    link = re.search(r'id="column-waiting"><a href="([^"]+)"', page)[1].replace("&amp;", "&")
    assert "sort=waiting" in link and "order=desc" in link and "start=" in link and "end=" in link


def test_an_unknown_sort_falls_back_to_the_name(observer_client, world):
    page = rollup(observer_client, world, sort="nhs_number", order="sideways").content.decode()
    assert ROW.findall(page) == ["C00001", "B00001"]


def test_the_exclusion_warning_dpia_and_plan_are_shown_per_practice(observer_client, world):
    page = rollup(observer_client, world).content.decode()
    aire = page.split('id="practice-C00001"')[1].split("</tr>")[0]
    beck = page.split('id="practice-B00001"')[1].split("</tr>")[0]
    assert "60.0%" in aire and "Over half held back" in aire
    assert "Over half held back" not in beck
    assert "Recorded" in aire and "None" in aire  # DPIA recorded by the factory; no plan yet


def test_a_wrong_date_range_says_what_is_wrong(observer_client, world):
    response = rollup(observer_client, world, start_day="31", start_month="2", start_year="2026")
    assert response.status_code == 400
    assert "The start date must be a real date" in response.content.decode()
    future = timezone.localdate() + datetime.timedelta(days=3)
    response = rollup(observer_client, world, end=future.isoformat())
    assert response.status_code == 400
    assert "The end date must be today or in the past" in response.content.decode()


def test_the_csv_has_a_row_per_practice_and_the_totals(observer_client, world):
    response = observer_client.get(reverse("staff:organisation_csv", kwargs={"code": world.icb.code}))
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert [row["practice_code"] for row in rows] == ["C00001", "B00001", "TOTAL"]
    assert rows[0]["exclusion_warning"] == "yes" and rows[1]["exclusion_warning"] == "no"
    assert rows[0]["dpia"] == "Recorded" and rows[0]["plan"] == "None"
    assert int(rows[2]["registered_patients"]) == sum(int(row["registered_patients"]) for row in rows[:2])
    assert AuditEntry.objects.filter(action="organisation.export", object_id="QWE").count() == 1


def test_a_practices_figures_are_its_own(observer_client, world):
    url = reverse(
        "staff:organisation_practice", kwargs={"code": world.icb.code, "ods": world.in_pcn.ods_code}
    )
    page = observer_client.get(url).content.decode()
    assert "Beck Lane Surgery (B00001)" in page
    # The practice's own dashboard: its funnel's table, and CSVs under the organisation's address.
    assert re.search(r"Patients on the register</th>\s*<td[^>]*>4<", page)
    assert f"/staff/o/{world.icb.code}/p/{world.in_pcn.ods_code}/programme.csv?" in page


def test_the_chart_draws_each_practices_waiting_list_with_a_table(observer_client, world):
    page = rollup(observer_client, world).content.decode()
    chart = page.split('id="chart-waiting"')[1]
    assert 'aria-hidden="true"' in chart and "<svg" in chart
    assert "Beck Lane Surgery" in chart.split('id="chart-waiting-table"')[1]


def pomi(client, world, **query):
    return client.get(reverse("staff:organisation_pomi_csv", kwargs={"code": world.icb.code}), query)


def last_month_end() -> datetime.date:
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


def test_the_monthly_return_is_pomis_long_format_with_counts_at_the_months_end(observer_client, world):
    end = last_month_end()
    before = end - datetime.timedelta(days=2)
    # Decisions made before the month's end count; the ones made now (after it) do not.
    coded = Decision.objects.filter(practice=world.in_pcn, access_level="coded").get()
    Decision.objects.filter(pk=coded.pk).update(
        decided_at=timezone.make_aware(datetime.datetime.combine(before, datetime.time(12)))
    )
    response = pomi(observer_client, world, month=f"{end:%Y-%m}")
    assert response.status_code == 200
    rows = csv_rows(response)
    assert list(rows[0]) == [
        "report_period_end",
        "organisation_code",
        "organisation_name",
        "practice_code",
        "practice_name",
        "field",
        "value",
    ]
    values = {(row["practice_code"], row["field"]): int(row["value"]) for row in rows}
    assert {row["report_period_end"] for row in rows} == {end.isoformat()}
    assert {row["organisation_code"] for row in rows} == {"QWE"}
    assert values == {
        # 4 patients registered (no registration date: taken as registered throughout); one with an online
        # account for over a year; one granted coded access before the month's end.
        ("C00001", "patient_list_size"): 4,
        ("C00001", "Total_Pat_Enbld"): 1,
        ("C00001", "Pat_DetCodeRec_Enbld"): 0,
        ("B00001", "patient_list_size"): 4,
        ("B00001", "Total_Pat_Enbld"): 2,
        ("B00001", "Pat_DetCodeRec_Enbld"): 1,
    }
    assert AuditEntry.objects.filter(action="organisation.pomi_export").count() == 1


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("", "Enter the month of the return, like 2026-10"),
        ("October", "Enter the month as a 4-digit year and 2-digit month with a dash, like 2026-10"),
        ("2026-13", "The month must be from 01 to 12, like 2026-10"),
        ("1999-12", "The month must be in 2000 or later"),
        ("2999-01", "The month must have ended"),
    ],
)
def test_a_month_that_cannot_be_returned_gets_a_specific_error(observer_client, world, month, message):
    response = pomi(observer_client, world, month=month)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_the_current_month_is_refused_until_it_ends(observer_client, world):
    response = pomi(observer_client, world, month=f"{timezone.localdate():%Y-%m}")
    assert response.status_code == 400
    assert f"Choose {last_month_end():%B %Y}" in response.content.decode()
