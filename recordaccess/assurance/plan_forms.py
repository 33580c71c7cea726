"""What the plan's pages accept: a section's words (its questions come from assurance/plan.py) and the record of
a version shared."""

import datetime

from django import forms
from django.utils import timezone

from recordaccess.assurance.models import SharedWith
from recordaccess.core.dateinput import DateInputField

TEXT_LIMIT = 5000


def section_form(section, data=None) -> forms.Form:
    """One box (or date) per question of the section, filled with what the practice wrote."""
    initial = {}
    for q in section.questions:
        value = section.words.get(q.name, "")
        if q.kind == "date" and value:
            value = datetime.date.fromisoformat(value)
        initial[q.name] = value
    form = forms.Form(data, initial=initial)
    for q in section.questions:
        if q.kind == "date":
            form.fields[q.name] = DateInputField(
                label=q.label,
                required=False,
                error_messages={
                    "invalid": f"{q.label} must be a real date, like 6 10 2026",
                    "missing": f"{q.label} must include a {{parts}}",
                    "year": f"{q.label}: the year must include 4 numbers",
                },
            )
        else:
            form.fields[q.name] = forms.CharField(
                label=q.label,
                help_text=q.hint,
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"max_length": f"{q.label} must be {TEXT_LIMIT:,} characters or fewer"},
            )
    return form


class ShareForm(forms.Form):
    version = forms.TypedChoiceField(
        label="Which version was shared",
        coerce=int,
        choices=[],
        error_messages={
            "required": "Choose the version of the plan that was shared",
            "invalid_choice": "Choose an approved version of the plan",
        },
    )
    shared_with = forms.ChoiceField(
        label="Who it was shared with",
        choices=SharedWith.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose who the plan was shared with: the ICB, the ICO or someone else",
            "invalid_choice": "Choose who the plan was shared with: the ICB, the ICO or someone else",
        },
    )
    name = forms.CharField(
        label="Their name",
        help_text="Needed for someone else; for the ICB or ICO, the team or person, if you know it.",
        required=False,
        max_length=200,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    shared_on = DateInputField(
        label="When it was shared",
        error_messages={
            "required": "Enter the date the plan was shared",
            "invalid": "Enter the date the plan was shared as a real date, like 6 10 2026",
        },
    )

    def __init__(self, *args, approved_versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [(n, f"Version {n}") for n in approved_versions]

    def clean_shared_on(self):
        shared_on = self.cleaned_data["shared_on"]
        if shared_on and shared_on > timezone.localdate():
            raise forms.ValidationError("The date the plan was shared must be today or in the past")
        return shared_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("shared_with") == SharedWith.OTHER and not cleaned.get("name", "").strip():
            self.add_error("name", "Enter the name of the person or organisation it was shared with")
        return cleaned
