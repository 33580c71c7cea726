"""A practice's own monthly return (POMI), for its administrators."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from recordaccess.audit.services import record_request
from recordaccess.reports import pomi, selectors
from recordaccess.reports.forms import month_form


def practice_pomi(request: HttpRequest, ods: str) -> HttpResponse:
    form = month_form(request.GET)
    end = form.cleaned_data["month"] if form.is_valid() else None
    return render(
        request,
        "reports/pomi.jinja",
        {
            "form": form,
            "rows": selectors.pomi_rows([request.practice], end) if end else [],
            "end": end,
            "fields": pomi.FIELDS,
            "download": "staff:pomi_csv",
            "download_kwargs": {"ods": request.practice.ods_code},
            "owner": request.practice,
        },
        status=200 if form.is_valid() else 400,
    )


def practice_pomi_csv(request: HttpRequest, ods: str) -> HttpResponse:
    form = month_form(request.GET)
    if not form.is_valid():
        return practice_pomi(request, ods)
    end = form.cleaned_data["month"]
    record_request(request, "pomi.export", object_type="pomi", object_id=f"{end:%Y-%m}")
    text = pomi.csv_text(selectors.pomi_rows([request.practice], end), end)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="pomi-{request.practice.ods_code}-{end:%Y-%m}.csv"'
    )
    return response
