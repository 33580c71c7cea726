"""An organisation's pages (a PCN or an ICB, under /staff/o/<code>/): its practices side by side, one practice's
figures, the chart, the CSVs and the monthly return. The middleware has already checked that the viewer observes
the organisation (`request.organisation`). Counts and statuses only: these pages never show a patient."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from recordaccess.audit.services import record_request
from recordaccess.questions.figures import Bar
from recordaccess.reports import pomi, selectors
from recordaccess.reports import rollup_tables as tables
from recordaccess.reports import tables as layout
from recordaccess.reports import views as dashboard
from recordaccess.reports.figures import Period
from recordaccess.reports.forms import month_form, range_from


def _period(request: HttpRequest):
    """The form, the period to show and whether the dates given were wrong (the dashboard's rules)."""
    return range_from(request.GET)


def _range_query(period: Period) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def _sort(request: HttpRequest) -> tuple[str, bool]:
    key = request.GET.get("sort", selectors.DEFAULT_SORT)
    if key not in selectors.SORTS:
        key = selectors.DEFAULT_SORT
    return key, request.GET.get("order") == "desc"


def _headers(period: Period, key: str, descending: bool) -> list[dict]:
    """Each column's header with its plain link: to sort by it, or the other way when it is the sort already."""
    headers = []
    for column in selectors.COLUMNS:
        current = column.key == key
        order = "asc" if current and descending else ("desc" if current else "asc")
        headers.append(
            {
                "key": column.key,
                "text": column.header,
                "numeric": column.numeric,
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
                "href": "?" + urlencode({**_range_query(period), "sort": column.key, "order": order}),
            }
        )
    return headers


def _waiting_bars(rows) -> list[Bar]:
    longest = max((row.figures.waiting_now for row in rows), default=0)
    return [
        Bar(
            key=row.practice.ods_code,
            label=row.practice.name,
            count=row.figures.waiting_now,
            width=round(100 * row.figures.waiting_now / longest, 1) if longest else 0,
        )
        for row in rows
    ]


def organisation(request: HttpRequest, code: str) -> HttpResponse:
    form, period, wrong = _period(request)
    key, descending = _sort(request)
    rows = selectors.rollup_rows(request.organisation, period)
    return render(
        request,
        "reports/organisation.jinja",
        {
            "form": form,
            "period": period,
            "rows": selectors.sorted_rows(rows, key, descending),
            "totals": selectors.totals(rows, period),
            "headers": _headers(period, key, descending),
            "bars": _waiting_bars(rows),
            "pcns": selectors.pcns(request.organisation),
            "range_query": urlencode(_range_query(period)),
        },
        status=400 if wrong else 200,
    )


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def organisation_csv(request: HttpRequest, code: str) -> HttpResponse:
    _form, period, wrong = _period(request)
    if wrong:
        return organisation(request, code)
    rows = selectors.rollup_rows(request.organisation, period)
    record_request(
        request,
        "organisation.export",
        object_type="organisation",
        object_id=request.organisation.code,
        detail={"start": period.start.isoformat(), "end": period.end.isoformat()},
    )
    text = tables.rollup_csv(rows, selectors.totals(rows, period), period)
    return _csv(text, f"practices-{request.organisation.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv")


def organisation_practice(request: HttpRequest, code: str, ods: str) -> HttpResponse:
    """One practice's programme dashboard, as the practice's own staff see it (counts only), with its status."""
    practice = selectors.practice_of(request.organisation, ods)
    form, period, wrong = range_from(request.GET, practice.go_live_on)
    found, assurance = selectors.practice_figures(practice, period)
    return render(
        request,
        "reports/organisation_practice.jinja",
        {
            "form": form,
            "period": period,
            "shown": practice,
            "figures": found,
            "assurance": assurance,
            "tables": layout.tables(found),
            "csv": dashboard.csv_links(
                period,
                "staff:organisation_practice_csv",
                "staff:organisation_practice_chart_csv",
                code=request.organisation.code,
                ods=practice.ods_code,
            ),
        },
        status=400 if wrong else 200,
    )


def organisation_practice_csv(request: HttpRequest, code: str, ods: str) -> HttpResponse:
    return dashboard.practice_csv(request, selectors.practice_of(request.organisation, ods))


def organisation_practice_chart_csv(request: HttpRequest, code: str, ods: str, chart: str) -> HttpResponse:
    return dashboard.practice_chart_csv(request, selectors.practice_of(request.organisation, ods), chart)


def organisation_pomi(request: HttpRequest, code: str) -> HttpResponse:
    form = month_form(request.GET)
    rows = (
        selectors.organisation_pomi_rows(request.organisation, form.cleaned_data["month"])
        if form.is_valid()
        else []
    )
    return render(
        request,
        "reports/pomi.jinja",
        {
            "form": form,
            "rows": rows,
            "end": form.cleaned_data["month"] if form.is_valid() else None,
            "fields": pomi.FIELDS,
            "download": "staff:organisation_pomi_csv",
            "download_kwargs": {"code": request.organisation.code},
            "owner": request.organisation,
        },
        status=200 if form.is_valid() else 400,
    )


def organisation_pomi_csv(request: HttpRequest, code: str) -> HttpResponse:
    form = month_form(request.GET)
    if not form.is_valid():
        return organisation_pomi(request, code)
    end = form.cleaned_data["month"]
    rows = selectors.organisation_pomi_rows(request.organisation, end)
    record_request(
        request,
        "organisation.pomi_export",
        object_type="organisation",
        object_id=request.organisation.code,
        detail={"month": f"{end:%Y-%m}"},
    )
    text = pomi.csv_text(rows, end, request.organisation)
    return _csv(text, f"pomi-{request.organisation.code}-{end:%Y-%m}.csv")
