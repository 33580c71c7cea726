"""The one question on a patient's own link from a message: what would they like to do (the same choices
as the request form's first question)."""

from django import forms

from recordaccess.intake.forms import PREFERENCE_CHOICES


class PreferenceForm(forms.Form):
    preference = forms.ChoiceField(
        label="What would you like to do?",
        choices=PREFERENCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you would like to do"},
    )
    question = forms.CharField(
        label="If you have a question, what would you like to ask? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Your question must be 1,000 characters or fewer"},
    )
