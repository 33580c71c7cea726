from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone

from recordaccess.core.dateinput import DateInputField
from recordaccess.practices.defaults import DEFAULT_TEXTS, public_text
from recordaccess.practices.models import Dpia, Practice, SignpostingResource
from recordaccess.practices.roles import Role
from recordaccess.practices.services import DPIA_FIELDS, PRACTICE_FIELDS


class SignInForm(forms.Form):
    username = forms.CharField(max_length=150, error_messages={"required": "Enter your username"})
    password = forms.CharField(
        max_length=256,
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        max_length=12,
        help_text="The 6-digit code your authenticator app shows now.",
        error_messages={"required": "Enter the 6-digit security code from your authenticator app"},
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError("Enter the security code as 6 digits, like 123456")
        return token


class PracticeForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = list(PRACTICE_FIELDS)
        widgets = {
            "approach": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 4}),
            "opening_hours": forms.Textarea(attrs={"rows": 4}),
            "privacy_notice": forms.Textarea(attrs={"rows": 12}),
            "accessibility_statement": forms.Textarea(attrs={"rows": 12}),
        }
        field_classes = {"approach_agreed_on": DateInputField, "go_live_on": DateInputField}
        labels = {
            "name": "Practice name",
            "phone": "Phone number",
            "website": "Website",
            "approach": "Approach",
        }
        error_messages = {
            "name": {"required": "Enter the practice's name"},
            "website": {"invalid": "Enter the website's full address, starting with https://"},
            "email": {
                "invalid": "Enter an email address in the correct format, like reception@example.nhs.uk"
            },
            "approach_agreed_on": {
                "invalid": "Enter the date the approach was agreed as a real date, like 5 1 2026"
            },
            "go_live_on": {"invalid": "Enter the date online access starts as a real date, like 2 3 2026"},
        }

    def __init__(self, *args, **kwargs):
        """Texts the practice has not written show the default, so an administrator edits it, not a blank."""
        super().__init__(*args, **kwargs)
        for name in DEFAULT_TEXTS:
            if self.instance.pk and not getattr(self.instance, name).strip():
                self.initial[name] = public_text(self.instance, name)

    def _own_or_default(self, name: str) -> str:
        """The default saved unchanged is kept as no text, so it follows the practice's details."""
        value = self.cleaned_data[name].strip()
        default = DEFAULT_TEXTS[name](self.instance) if self.instance.pk else ""
        return "" if " ".join(value.split()) == " ".join(default.split()) else value

    def clean_opening_hours(self) -> str:
        return self._own_or_default("opening_hours")

    def clean_privacy_notice(self) -> str:
        return self._own_or_default("privacy_notice")

    def clean_accessibility_statement(self) -> str:
        return self._own_or_default("accessibility_statement")


class DpiaForm(forms.ModelForm):
    class Meta:
        model = Dpia
        fields = list(DPIA_FIELDS)
        widgets = {
            "dpo_advice": forms.Textarea(attrs={"rows": 4}),
            "dpo_overruled_reason": forms.Textarea(attrs={"rows": 3}),
            "dpo_advice_outcome": forms.RadioSelect,
            "residual_risk": forms.RadioSelect,
        }
        field_classes = {"completed_on": DateInputField, "review_on": DateInputField}
        labels = {
            "reference": "DPIA reference",
            "completed_on": "Date the DPIA was completed",
            "residual_risk": "Residual risk after the measures",
            "review_on": "Date of the next review",
        }
        error_messages = {
            "completed_on": {
                "invalid": "Enter the date the DPIA was completed as a real date, like 6 10 2023"
            },
            "review_on": {"invalid": "Enter the review date as a real date, like 6 10 2024"},
            "url": {"invalid": "Enter the link's full address, starting with https://"},
        }

    def clean_completed_on(self):
        """A DPIA not yet completed cannot let messages go out: a date to come is a mistake, not a plan."""
        completed = self.cleaned_data.get("completed_on")
        if completed and completed > timezone.localdate():
            raise forms.ValidationError("The date the DPIA was completed must be today or in the past")
        return completed

    def clean(self):
        cleaned = super().clean()
        completed, review = cleaned.get("completed_on"), cleaned.get("review_on")
        if completed and review and review <= completed:
            self.add_error("review_on", "The review date must be after the date the DPIA was completed")
        return cleaned


class ResourceForm(forms.ModelForm):
    class Meta:
        model = SignpostingResource
        fields = ["title", "url"]
        labels = {"title": "Title", "url": "Web address"}
        error_messages = {
            "title": {"required": "Enter the resource's title"},
            "url": {
                "required": "Enter the resource's web address",
                "invalid": "Enter a full web address, starting with https://",
            },
        }


class AddStaffForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        help_text="Letters, numbers and . - _ only, like j.smith",
        error_messages={"required": "Enter a username"},
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9._-]+$",
                "Use only letters, numbers, full stops, hyphens and underscores in the username",
            )
        ],
    )
    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter their full name"}
    )
    email = forms.EmailField(
        label="Work email address",
        help_text="We email them here when their account changes (never anything about patients).",
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
    )
    role = forms.ChoiceField(
        choices=Role.choices, widget=forms.RadioSelect, error_messages={"required": "Choose a role"}
    )
    password = forms.CharField(
        label="Temporary password",
        strip=False,
        help_text="At least 12 characters. Tell them in person, not by email.",
        error_messages={"required": "Enter a temporary password"},
    )


class InviteStaffForm(forms.Form):
    """For someone who already has an account at another practice: they join only when they accept."""

    username = forms.CharField(
        label="Their username",
        max_length=150,
        help_text="The username they sign in with, like j.smith",
        error_messages={"required": "Enter their username"},
    )
    role = forms.ChoiceField(
        choices=Role.choices, widget=forms.RadioSelect, error_messages={"required": "Choose a role"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="invite", **kwargs)


class PasswordForm(forms.Form):
    password = forms.CharField(
        label="New temporary password",
        max_length=256,
        strip=False,
        error_messages={"required": "Enter a temporary password"},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, error_messages={"required": "Choose a role"})
