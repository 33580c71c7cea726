"""The figures page's date range: the days on which the questions were asked, both included."""

import datetime

from recordaccess.core.dateinput import DateRangeForm
from recordaccess.questions.figures import LONGEST_RANGE_DAYS, default_range


class RangeForm(DateRangeForm):
    longest_days = LONGEST_RANGE_DAYS
    too_long = "The dates must be no more than 2 years apart"

    def usual(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        return default_range(today)

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The range asked for, or the last 12 weeks when the form is empty or wrong."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return default_range()
