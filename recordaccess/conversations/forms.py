import datetime

from django import forms
from django.utils import timezone

from recordaccess.conversations import drop_ins
from recordaccess.conversations.models import NOTE_MAX, Attendance, Kind, Mode
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
    where = forms.CharField(
        label="Where (optional)",
        max_length=200,
        required=False,
        help_text="For a drop-in: the room, or the address if it is not at the practice. It goes in the texts.",
        error_messages={"max_length": "Where must be 200 characters or fewer"},
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


class DropInBookingForm(forms.Form):
    """A place at a drop-in session, for anyone: a name and a number to reach them on, nothing more."""

    name = forms.CharField(
        label="Your name",
        max_length=drop_ins.NAME_MAX,
        error_messages={
            "required": "Enter your name",
            "max_length": f"Your name must be {drop_ins.NAME_MAX} characters or fewer",
        },
    )
    phone = forms.CharField(
        label="UK phone number",
        max_length=30,
        help_text="We text a mobile to confirm your place and remind you the day before. For example, 07700 900123.",
        error_messages={
            "required": "Enter a UK phone number, like 07700 900123",
            "max_length": "Phone number has too many digits: enter a UK phone number, like 07700 900123",
        },
    )

    def clean_name(self) -> str:
        try:
            return drop_ins.clean_name(self.cleaned_data["name"])
        except drop_ins.BookingError as problem:
            raise forms.ValidationError(str(problem)) from problem

    def clean_phone(self) -> str:
        try:
            return drop_ins.clean_phone(self.cleaned_data["phone"])
        except drop_ins.BookingError as problem:
            raise forms.ValidationError(str(problem)) from problem


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label="Did they come?",
        choices=[(Attendance.ATTENDED, "Came"), (Attendance.DID_NOT_COME, "Did not come")],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose whether they came"},
    )
    note = forms.CharField(
        label="What they asked",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the practice only: it is never sent to anyone.",
        error_messages={"max_length": f"The note must be {NOTE_MAX:,} characters or fewer"},
    )


class SessionNoteForm(forms.Form):
    note = forms.CharField(
        label="What people asked at this session",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For the practice only, to improve the answers on the questions page.",
        error_messages={"max_length": f"The note must be {NOTE_MAX:,} characters or fewer"},
    )
