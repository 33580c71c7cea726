from django import forms

from recordaccess.patients.models import Preference

PREFERENCE_CHOICES = [
    (Preference.WANTS_ACCESS, "I want to see my GP health record online"),
    (Preference.NO_ACCESS, "I do not want to see my GP health record online"),
    (Preference.HAS_QUESTIONS, "I have questions: please contact me"),
]


class PreferenceForm(forms.Form):
    preference = forms.ChoiceField(
        label="What would you like to do?",
        choices=PREFERENCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you would like to do"},
    )
