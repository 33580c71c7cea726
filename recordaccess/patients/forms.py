from django import forms

from recordaccess.core.dateinput import DateInputField
from recordaccess.core.uploads import check_size
from recordaccess.patients.cohorts import ANY, NO, YES, CohortFilters
from recordaccess.patients.flags import standard_code_list
from recordaccess.patients.models import AccessStatus, FlagKind, Preference

PRESENCE = [(ANY, "Either"), (YES, "Yes"), (NO, "No")]


def _days(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=3650,
        help_text=help_text,
        error_messages={
            "invalid": "Enter a whole number of days",
            "min_value": "Enter 0 or more days",
            "max_value": "Enter 3650 days or fewer",
        },
    )


def _age(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": "Enter an age in whole years",
            "min_value": "Enter an age of 0 or more",
            "max_value": "Enter an age of 120 or less",
        },
    )


class CohortForm(forms.Form):
    name = forms.CharField(
        max_length=120, label="Name", error_messages={"required": "Enter a name for the cohort"}
    )
    min_age = _age("Youngest age")
    max_age = _age("Oldest age")
    has_mobile = forms.ChoiceField(
        label="Has a mobile number", choices=PRESENCE, required=False, widget=forms.RadioSelect
    )
    has_email = forms.ChoiceField(
        label="Has an email address", choices=PRESENCE, required=False, widget=forms.RadioSelect
    )
    has_address = forms.ChoiceField(
        label="Has a postal address", choices=PRESENCE, required=False, widget=forms.RadioSelect
    )
    flags_present = forms.MultipleChoiceField(
        label="Has any of these flags",
        choices=FlagKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    flags_all = forms.MultipleChoiceField(
        label="Has all of these flags",
        choices=FlagKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_review = forms.ChoiceField(
        label="Needs enhanced review now",
        help_text="A safeguarding or domestic-abuse flag, or a 104 that no later 106 overrides.",
        choices=PRESENCE,
        required=False,
        widget=forms.RadioSelect,
    )
    flags_absent = forms.MultipleChoiceField(
        label="Has none of these flags",
        choices=FlagKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferences = forms.MultipleChoiceField(
        label="Preference they told us",
        choices=Preference.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access_statuses = forms.MultipleChoiceField(
        label="Access status",
        choices=AccessStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    not_contacted_in_days = _days(
        "Not contacted in the last … days", "Leave empty to ignore when we last contacted them."
    )
    registered_since = DateInputField(
        label="Registered on or after",
        required=False,
        error_messages={"invalid": "Enter the registration date as a real date"},
    )
    turning_16_within_days = _days(
        "Turning 16 within … days", "For the weekly check of patients about to turn 16."
    )
    include_under_16 = forms.BooleanField(label="Include patients under 16", required=False)
    include_deceased = forms.BooleanField(label="Include patients who have died", required=False)
    include_left = forms.BooleanField(label="Include patients who have left the practice", required=False)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_age"), cleaned.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", "The oldest age must be the same as or more than the youngest age")
        wanted = set(cleaned.get("flags_present") or []) | set(cleaned.get("flags_all") or [])
        overlap = wanted & set(cleaned.get("flags_absent") or [])
        if overlap:
            self.add_error("flags_absent", "A flag cannot be both wanted and not wanted")
        return cleaned

    def filters(self) -> CohortFilters:
        return CohortFilters(**{key: value for key, value in self.cleaned_data.items() if key != "name"})

    @classmethod
    def for_cohort(cls, cohort, data=None):
        initial = {"name": cohort.name, **CohortFilters.from_dict(cohort.filters).to_dict()} if cohort else {}
        return cls(data, initial=initial)


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label="Register export (CSV)",
        help_text="A search of your registered patients exported from EMIS Web or SystmOne as CSV.",
        error_messages={"required": "Choose the CSV file to import", "empty": "The chosen file is empty"},
    )
    full = forms.BooleanField(
        label="This is the whole register",
        required=False,
        help_text="Patients missing from it will be marked as having left the practice. Nobody is deleted.",
    )
    dry_run = forms.BooleanField(label="Check the file only, change nothing", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if too_large := check_size(upload, "REGISTER_UPLOAD_MAX_BYTES"):
            raise forms.ValidationError(too_large)
        return upload


class FlagForm(forms.Form):
    """A flag added on the patient's page: a code from the shipped list, its date and why."""

    code = forms.ChoiceField(label="Flag", error_messages={"required": "Choose the flag to add"})
    recorded_on = DateInputField(
        label="Date the code was recorded",
        error_messages={"required": "Enter the date the code was recorded", "invalid": "Enter a real date"},
    )
    reason = forms.CharField(
        label="Why you are adding it",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why you are adding this flag"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = dict(FlagKind.choices)
        self.fields["code"].choices = [("", "Choose a flag")] + [
            (entry.code, f"{kinds[entry.kind]}: {entry.term} ({entry.code})")
            for entry in sorted(standard_code_list().values(), key=lambda e: (kinds[e.kind], e.term))
        ]


class EndFlagForm(forms.Form):
    end_reason = forms.CharField(
        label="Why you are ending it",
        max_length=1000,
        error_messages={"required": "Say why you are ending this flag"},
    )


class OnlineAccountsUploadForm(forms.Form):
    file = forms.FileField(
        label="Online accounts export (CSV)",
        help_text="A search of patients registered for online services exported from EMIS Web or SystmOne as CSV: "
        "NHS number and the date registered for online services, with proxy access and the proxy's details "
        "if your search has them.",
        error_messages={"required": "Choose the CSV file to import", "empty": "The chosen file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if too_large := check_size(upload, "ONLINE_ACCOUNTS_UPLOAD_MAX_BYTES"):
            raise forms.ValidationError(too_large)
        return upload
