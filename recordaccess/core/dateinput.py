"""A date asked for as the NHS date input pattern asks it: day, month and year in three boxes, never the browser's
date picker (hard to use with a screen reader or a keyboard, and different in every browser). One field for every
date staff enter; errors say which part is wrong, in the service manual's words.

A single ISO date under the field's own name (2026-03-02) is accepted too: what scripts and older pages post."""

import datetime

from django import forms
from django.utils import timezone

PARTS = ("day", "month", "year")


class DateParts(forms.MultiWidget):
    """Three text boxes named <name>_day, <name>_month and <name>_year; rendered by the `field` macro."""

    def __init__(self, attrs=None):
        super().__init__({part: forms.TextInput for part in PARTS}, attrs)

    def decompress(self, value) -> list[str]:
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str):
            try:
                return self.decompress(datetime.date.fromisoformat(value.strip()))
            except ValueError:
                return ["", "", ""]
        return ["", "", ""]

    def parts(self, value) -> list[str]:
        """What each box shows: the parts as typed, or those of a date."""
        return [v or "" for v in value] if isinstance(value, list | tuple) else self.decompress(value)

    def value_from_datadict(self, data, files, name):
        if not any(f"{name}_{part}" in data for part in PARTS) and name in data:
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        """The day box, where an error summary's link puts the cursor."""
        return f"{id_}_day" if id_ else id_


class DateInputField(forms.Field):
    """A date from its day, month and year boxes. A form names its own `required` and `invalid` messages, and may
    name `missing` ("… must include a {parts}")."""

    widget = DateParts
    default_error_messages = {
        "required": "Enter a date",
        "invalid": "Enter a real date",
        "missing": "The date must include a {parts}",
        "year": "The year must include 4 numbers",
    }

    def to_python(self, value) -> datetime.date | None:
        if isinstance(value, datetime.date) or value is None:
            return value
        if isinstance(value, str):
            return self._from_iso(value)
        parts = dict(zip(PARTS, ((v or "").strip() for v in value), strict=True))
        missing = [part for part, typed in parts.items() if not typed]
        if len(missing) == len(PARTS):
            return None
        if missing:
            raise forms.ValidationError(
                self.error_messages["missing"].format(parts=" and a ".join(missing)), code="missing"
            )
        if not all(typed.isdigit() for typed in parts.values()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(parts["year"]) != 4:
            raise forms.ValidationError(self.error_messages["year"], code="year")
        try:
            return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error

    def _from_iso(self, value: str) -> datetime.date | None:
        if not value.strip():
            return None
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


class DateRangeForm(forms.Form):
    """From and to, each in the NHS date pattern, both included: a figures page's dates. Either may be left out
    (the usual range fills it), the end may not be after today nor before the start, and the range has a longest.
    A page's form says its usual range (`usual`), its longest (`longest_days`) and how to say so (`too_long`)."""

    longest_days = 366
    too_long = "The dates must be no more than a year apart (366 days)"

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

    def usual(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        today = timezone.localdate()
        first, last = self.usual(today)
        start, end = data.get("start"), data.get("end")
        if start is None and end is not None:
            start = end - (last - first)
        end = end or today
        start = start or first
        if end > today:
            self.add_error("end", "The end date must be today or in the past")
        elif start > end:
            self.add_error("start", "The start date must be the same as or before the end date")
        elif (end - start).days + 1 > self.longest_days:
            self.add_error("start", self.too_long)
        elif start < datetime.date(2000, 1, 1):
            self.add_error("start", "The start date must be in 2000 or later")
        data["start"], data["end"] = start, end
        return data
