"""What the reports' pages accept: a date range (the questions figures' form, the NHS date pattern) and the month
of the monthly return."""

from django import forms

from recordaccess.questions.figures_forms import RangeForm
from recordaccess.reports.pomi import MonthError, last_complete_month, parse_month

RANGE_FIELDS = ("start_day", "start_month", "start_year", "end_day", "end_month", "end_year", "start", "end")

__all__ = ["RANGE_FIELDS", "MonthForm", "RangeForm", "range_form"]


def range_form(query) -> tuple[RangeForm, bool]:
    """The date range form for a page's query string, and whether a range was asked for at all."""
    asked = any(name in query for name in RANGE_FIELDS)
    form = RangeForm(query if asked else None)
    if not asked:
        start, end = form.period()
        form = RangeForm(initial={"start": start, "end": end})
    return form, asked


class MonthForm(forms.Form):
    month = forms.CharField(
        label="Month",
        help_text="The year and month, like 2026-10. The return counts patients at the end of the month.",
        required=False,
        max_length=20,
        error_messages={
            "max_length": "Enter the month as a 4-digit year and 2-digit month with a dash, like 2026-10"
        },
    )

    def clean_month(self):
        value = self.cleaned_data.get("month") or ""
        try:
            return parse_month(value)
        except MonthError as error:
            raise forms.ValidationError(str(error), code="month") from error


def month_form(query) -> MonthForm:
    """The month asked for, else the last month that has ended."""
    return MonthForm(query if "month" in query else {"month": last_complete_month()})
