from django import forms

from recordaccess.core import nhs_number
from recordaccess.core.dateinput import DateInputField


class AuditSearchForm(forms.Form):
    nhs_number = forms.CharField(label="Patient's NHS number", required=False, max_length=20)
    staff = forms.ChoiceField(label="Staff member", required=False)
    date_from = DateInputField(
        label="From",
        required=False,
        error_messages={"invalid": "Enter the start date as a real date"},
    )
    date_to = DateInputField(
        label="To",
        required=False,
        error_messages={"invalid": "Enter the end date as a real date"},
    )

    def __init__(self, *args, staff_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [("", "Anyone"), *staff_choices]

    def clean_nhs_number(self) -> str:
        value = nhs_number.normalise(self.cleaned_data["nhs_number"])
        if value and not nhs_number.is_valid(value):
            raise forms.ValidationError("Enter a valid 10-digit NHS number, like 943 476 5919")
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_to"] < cleaned["date_from"]:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned
