from django import forms

from recordaccess.api.models import PRACTICE_SCOPES, Scope
from recordaccess.api.services import MAX_DAYS

EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("180", "180 days"), (str(MAX_DAYS), "A year")]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        required=False,
        help_text="What will use it, so you know which to revoke. For example, our online consultation tool",
    )
    scopes = forms.MultipleChoiceField(
        label="What may it do?",
        choices=[(s.value, f"{s.label} ({s.value})") for s in Scope if s in PRACTICE_SCOPES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing the token may do"},
    )
    days = forms.ChoiceField(
        label="When does it expire?",
        choices=EXPIRY_CHOICES,
        initial="90",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the token expires"},
    )
