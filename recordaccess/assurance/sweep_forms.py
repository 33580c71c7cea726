"""What the sweep's pages accept: a patient's outcome, in plain English."""

from django import forms

from recordaccess.assurance.models import SweepOutcome


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What did you decide?",
        choices=SweepOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what you decided for this patient",
            "invalid_choice": "Choose one of the outcomes listed",
        },
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Which flag you added, or which clinician you passed it to. Do not copy clinical detail here.",
        error_messages={"max_length": "The note must be 1,000 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") in (SweepOutcome.FLAG_ADDED, SweepOutcome.PASSED_TO_CLINICIAN)
            and not (data.get("note") or "").strip()
        ):
            self.add_error("note", "Say which flag you added, or which clinician you passed it to")
        return data
