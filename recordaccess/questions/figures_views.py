"""The questions' figures page: counts and durations only, open to every role, observers included."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from recordaccess.questions import figures
from recordaccess.questions.figures_forms import RangeForm


def question_figures(request: HttpRequest, ods: str) -> HttpResponse:
    asked = any(
        name in request.GET
        for name in (
            "start_day",
            "start_month",
            "start_year",
            "end_day",
            "end_month",
            "end_year",
            "start",
            "end",
        )
    )
    form = RangeForm(request.GET if asked else None)
    start, end = form.period() if asked else figures.default_range()
    if not asked:
        form = RangeForm(initial={"start": start, "end": end})
    return render(
        request,
        "questions/figures.jinja",
        {
            "form": form,
            "figures": figures.question_figures(request.practice, start, end),
            "duration": figures.duration,
        },
        status=400 if asked and form.errors else 200,
    )
