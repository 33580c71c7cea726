import datetime

from django import forms
from django.utils import timezone

from recordaccess.conversations.models import Kind, Mode
from recordaccess.core.dateinput import DateInputField


class SlotForm(forms.Form):
    host = forms.CharField(
        label="Who holds it", max_length=150, error_messages={"required": "Enter who will hold it"}
    )
    kind = forms.ChoiceField(
        label="What kind", choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.CONVERSATION
    )
    mode = forms.ChoiceField(
        label="How",
        choices=Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose in person, phone or video"},
    )
    day = DateInputField(
        label="Date", error_messages={"required": "Enter the date", "invalid": "Enter a real date"}
    )
    time = forms.TimeField(
        label="Start time",
        help_text="For example 14:30",
        error_messages={"required": "Enter the start time", "invalid": "Enter a time like 14:30"},
    )
    minutes = forms.IntegerField(
        label="Length in minutes",
        initial=15,
        error_messages={
            "required": "Enter the length",
            "invalid": "Enter the length as a whole number of minutes",
        },
    )
    places = forms.IntegerField(
        label="Places",
        initial=1,
        help_text="One for a conversation; more for a drop-in session.",
        error_messages={"required": "Enter the places", "invalid": "Enter the places as a whole number"},
    )
    repeat_weeks = forms.IntegerField(
        label="Repeat weekly for this many weeks",
        initial=1,
        min_value=1,
        max_value=26,
        error_messages={
            "min_value": "Repeat for 1 to 26 weeks",
            "max_value": "Repeat for 1 to 26 weeks",
            "invalid": "Enter the weeks as a whole number",
        },
    )

    def starts(self) -> list[datetime.datetime]:
        d = self.cleaned_data
        first = timezone.make_aware(datetime.datetime.combine(d["day"], d["time"]))
        return [first + datetime.timedelta(weeks=i) for i in range(d["repeat_weeks"])]


class StaffBookingForm(forms.Form):
    reference = forms.CharField(
        label="Request reference",
        max_length=20,
        help_text="For example ABCD-1234: the booking uses the request's contact details.",
        error_messages={"required": "Enter the request's reference"},
    )
