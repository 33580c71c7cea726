"""What the reports' pages accept: the date range of the dashboard and the roll-up (the days whose figures are
shown, both included: reports/figures.py Period), and the month of the monthly return."""

import datetime

from django import forms

from recordaccess.core.dateinput import DateRangeForm
from recordaccess.reports.figures import LONGEST_RANGE_DAYS, Period, default_period
from recordaccess.reports.pomi import MonthError, last_complete_month, parse_month

FIELDS = ("start_day", "start_month", "start_year", "end_day", "end_month", "end_year", "start", "end")


class RangeForm(DateRangeForm):
    longest_days = LONGEST_RANGE_DAYS

    def __init__(self, *args, go_live: datetime.date | None = None, **kwargs):
        self.go_live = go_live
        super().__init__(*args, **kwargs)

    def usual(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The last 12 weeks, or since go-live when that is more recent."""
        period = default_period(today, self.go_live)
        return period.start, period.end


def range_from(query, go_live: datetime.date | None = None) -> tuple[RangeForm, Period, bool]:
    """The form, the period to show (the usual one when the dates are missing or wrong) and whether the dates
    given were wrong."""
    asked = any(name in query for name in FIELDS)
    if not asked:
        period = default_period(go_live=go_live)
        return RangeForm(initial={"start": period.start, "end": period.end}, go_live=go_live), period, False
    form = RangeForm(query, go_live=go_live)
    if form.is_valid():
        return form, Period(form.cleaned_data["start"], form.cleaned_data["end"]), False
    return form, default_period(go_live=go_live), True


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
