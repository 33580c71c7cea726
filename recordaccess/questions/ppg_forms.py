"""What the PPG log's pages accept: a meeting and an action, in plain English. The rules that compare dates (an
action due before its meeting, a meeting in the future) are the service's (questions/ppg.py), shown on the form."""

from django import forms

from recordaccess.core.dateinput import DateInputField
from recordaccess.questions import ppg


class MeetingForm(forms.Form):
    held_on = DateInputField(
        label="Date of the meeting",
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "The date of the meeting must be a real date",
            "missing": "The date of the meeting must include a {parts}",
            "year": "The year of the meeting must include 4 numbers",
        },
    )
    attendees = forms.CharField(
        label="Who attended",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Names and roles, one on each line, for example 'Jean Smith, PPG chair'. "
        "Write people's names as they agreed, never details from a patient's record.",
        error_messages={
            "required": "Enter who attended",
            "max_length": "Who attended must be 2,000 characters or fewer",
        },
    )
    discussed = forms.CharField(
        label="What was discussed",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter what was discussed",
            "max_length": "What was discussed must be 5,000 characters or fewer",
        },
    )
    feedback = forms.CharField(
        label="The group's feedback (optional)",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the group said about how the practice offers online access.",
        error_messages={"max_length": "The group's feedback must be 5,000 characters or fewer"},
    )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if problem := ppg.meeting_date_error(held_on):
            raise forms.ValidationError(problem)
        return held_on


class ActionForm(forms.Form):
    """An action of `meeting`: its dates are checked against the meeting's as the other answers are checked."""

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean(self):
        data = super().clean()
        parsed = {name: name not in self.errors for name in ("due_on", "done_on")}
        for name, message in ppg.action_date_errors(
            self.meeting,
            data.get("due_on") if parsed["due_on"] else None,
            bool(data.get("done")),
            data.get("done_on") if parsed["done_on"] else None,
        ):
            if name not in self.errors and (name != "done_on" or parsed["done_on"]):
                self.add_error(name, message)
        return data

    what = forms.CharField(
        label="What is to be done",
        max_length=500,
        error_messages={
            "required": "Enter what is to be done",
            "max_length": "What is to be done must be 500 characters or fewer",
        },
    )
    owner = forms.CharField(
        label="Who will do it",
        max_length=150,
        help_text="A name and role, for example 'Practice manager'.",
        error_messages={
            "required": "Enter who will do it",
            "max_length": "Who will do it must be 150 characters or fewer",
        },
    )
    due_on = DateInputField(
        label="Due date",
        error_messages={
            "required": "Enter the due date",
            "invalid": "The due date must be a real date",
            "missing": "The due date must include a {parts}",
            "year": "The year of the due date must include 4 numbers",
        },
    )
    done = forms.BooleanField(label="Done", required=False)
    done_on = DateInputField(
        label="Date it was done",
        required=False,
        help_text="Only if it is done. For example, 15 3 2026",
        error_messages={
            "invalid": "The date it was done must be a real date",
            "missing": "The date it was done must include a {parts}",
            "year": "The year it was done must include 4 numbers",
        },
    )
