"""The practice's programme dashboard and its CSVs: counts and durations only, open to every role, observers
included (no patient-identifiable field is ever read into a Figures)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from recordaccess.reports import figures as engine
from recordaccess.reports import tables as layout
from recordaccess.reports.forms import range_from


def _query(period: engine.Period) -> str:
    return f"?start={period.start.isoformat()}&end={period.end.isoformat()}"


def csv_links(period: engine.Period, every: str, chart: str, **kwargs) -> dict[str, str]:
    """The dashboard's CSV links for this period: "all" (the page `every`) and one for each chart (the page
    `chart`, by its table's slug). The practice's own pages and its organisation's observers' have their own."""
    query = _query(period)
    links = {"all": reverse(every, kwargs=kwargs) + query}
    for slug in layout.SLUGS:
        links[slug] = reverse(chart, kwargs={**kwargs, "chart": slug}) + query
    return links


def programme(request: HttpRequest, ods: str) -> HttpResponse:
    form, period, wrong = range_from(request.GET, request.practice.go_live_on)
    figures = engine.practice_figures(request.practice, period)
    return render(
        request,
        "reports/programme.jinja",
        {
            "form": form,
            "figures": figures,
            "tables": layout.tables(figures),
            "csv": csv_links(period, "staff:programme_csv", "staff:programme_chart_csv", ods=ods),
            "as_at": timezone.localtime(figures.updated_at) if figures.updated_at else None,
        },
        status=400 if wrong else 200,
    )


def _csv_response(request: HttpRequest, text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _period_or_error(request: HttpRequest, practice=None):
    form, period, wrong = range_from(request.GET, (practice or request.practice).go_live_on)
    if wrong:
        errors = "; ".join(str(message) for messages in form.errors.values() for message in messages)
        return None, HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    return period, None


def practice_csv(request: HttpRequest, practice) -> HttpResponse:
    """Every figure of the practice's dashboard as one CSV: for its staff and its organisations' observers."""
    period, error = _period_or_error(request, practice)
    if error:
        return error
    figures = engine.practice_figures(practice, period)
    text = layout.all_csv(figures, name=practice.ods_code)
    ods = practice.ods_code
    return _csv_response(request, text, f"programme-{ods}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv")


def practice_chart_csv(request: HttpRequest, practice, chart: str) -> HttpResponse:
    """One chart's table of the practice's dashboard as a CSV."""
    if chart not in layout.SLUGS:
        raise Http404("No such chart")
    period, error = _period_or_error(request, practice)
    if error:
        return error
    figures = engine.practice_figures(practice, period)
    table = next(table for table in layout.tables(figures) if table.slug == chart)
    ods = practice.ods_code
    return _csv_response(
        request,
        layout.table_csv(table),
        f"programme-{chart}-{ods}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv",
    )


def programme_csv(request: HttpRequest, ods: str) -> HttpResponse:
    return practice_csv(request, request.practice)


def programme_chart_csv(request: HttpRequest, ods: str, chart: str) -> HttpResponse:
    return practice_chart_csv(request, request.practice, chart)
