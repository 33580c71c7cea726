"""The figures page's date range: the days on which the questions were asked, both included."""

import datetime

from django import forms
from django.utils import timezone

from recordaccess.core.dateinput import DateInputField
from recordaccess.questions.figures import LONGEST_RANGE_DAYS, default_range


class RangeForm(forms.Form):
    start = DateInputField(
        label="From",
        required=False,
        error_messages={
            "invalid": "The start date must be a real date",
            "missing": "The start date must include a {parts}",
            "year": "The year of the start date must include 4 numbers",
        },
    )
    end = DateInputField(
        label="To",
        required=False,
        error_messages={
            "invalid": "The end date must be a real date",
            "missing": "The end date must include a {parts}",
            "year": "The year of the end date must include 4 numbers",
        },
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        first, last = default_range(today)
        start, end = data.get("start"), data.get("end")
        if start is None and end is not None:
            start = end - (last - first)
        end = end or today
        start = start or first
        if end > today:
            self.add_error("end", "The end date must be today or in the past")
        elif start > end:
            self.add_error("start", "The start date must be the same as or before the end date")
        elif (end - start).days + 1 > LONGEST_RANGE_DAYS:
            self.add_error("start", "The dates must be no more than 2 years apart")
        elif start < datetime.date(2000, 1, 1):
            self.add_error("start", "The start date must be in 2000 or later")
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The range asked for, or the last 12 weeks when the form is empty or wrong."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return default_range()
