from django import forms

from recordaccess.core.dateinput import DateInputField
from recordaccess.intake.models import AccessLevel, WaitingListPolicy
from recordaccess.practices.roles import Role
from recordaccess.review.checklist import REVIEWER_FIELDS
from recordaccess.review.decisions import CHECKLIST_FIELDS, MAX_MINUTES, DecisionInput
from recordaccess.review.models import Answer, Outcome, ProxyCapacity, Review


class ChecklistForm(forms.ModelForm):
    """The review checklist. Its completeness is judged by review/checklist.py, not here: a reviewer can save
    answers as they go. Only a reviewer is offered the clinical questions (third party, serious harm, coercion)."""

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        if role != Role.REVIEWER:
            for name in REVIEWER_FIELDS:
                self.fields.pop(name)

    class Meta:
        model = Review
        fields = CHECKLIST_FIELDS
        labels = {
            "flags_considered": "I have considered the patient's safeguarding and enhanced-review flags",
            "third_party": "Information about other people (third-party information)",
            "third_party_note": "Entries holding third-party information, to redact",
            "serious_harm": "Information likely to cause serious harm to the patient or someone else",
            "serious_harm_note": "The information, and the entries that hold it",
            "consulted": "Who was consulted about serious harm",
            "coercion": "Risk that the patient is being coerced",
            "coercion_note": "The coercion risk",
            "results_pending": "Results waiting to be discussed with the patient",
            "results_note": "Results to discuss",
            "proxy_capacity": "The patient's capacity and consent to this proxy",
            "proxy_note": "Notes on capacity and consent",
        }
        help_texts = {
            "flags_considered": "",
            "serious_harm": "Data Protection Act 2018, Schedule 3 Part 2 paragraph 2: rarely met. A safeguarding "
            "concern alone is not serious harm.",
            "consulted": "The appropriate health professional: the one responsible for the patient's care.",
            "third_party_note": "Health professionals acting in their role are not third parties.",
        }
        widgets = {
            "third_party": forms.RadioSelect(choices=Answer.choices),
            "serious_harm": forms.RadioSelect(choices=Answer.choices),
            "coercion": forms.RadioSelect(choices=Answer.choices),
            "results_pending": forms.RadioSelect(choices=Answer.choices),
            "proxy_capacity": forms.RadioSelect(choices=ProxyCapacity.choices),
            "third_party_note": forms.Textarea(attrs={"rows": 2}),
            "serious_harm_note": forms.Textarea(attrs={"rows": 2}),
            "coercion_note": forms.Textarea(attrs={"rows": 2}),
            "results_note": forms.Textarea(attrs={"rows": 2}),
            "proxy_note": forms.Textarea(attrs={"rows": 2}),
        }


TELL = [("yes", "Yes, tell the patient by their chosen way"), ("no", "No: telling them could cause harm")]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    nhs_number = forms.CharField(widget=forms.HiddenInput, required=False)
    access_level = forms.ChoiceField(
        label="Level of access to give", choices=[("", "Choose"), *AccessLevel.choices], required=False
    )
    access_from = DateInputField(
        label="Access starts on",
        required=False,
        error_messages={"invalid": "Enter a real date for access to start"},
    )
    redactions = forms.CharField(
        label="Entries to redact in the clinical system",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Whole entries: EMIS Web and SystmOne redact an entry, not words in it.",
    )
    reason = forms.CharField(
        label="Why (for the record, not the patient's message)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    defer_until = DateInputField(
        label="Come back to it by",
        required=False,
        error_messages={"invalid": "Enter a real date to come back to it by"},
    )
    conversation_needed = forms.BooleanField(
        label="A conversation with the patient is needed first", required=False
    )
    stop_automatic_access = forms.BooleanField(
        label="Stop access starting by itself meanwhile (code 1364731000000104)", required=False
    )
    tell_patient = forms.ChoiceField(
        label="Tell the patient?",
        choices=TELL,
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": "Say whether to tell the patient"},
    )
    withheld_reason = forms.CharField(
        label="Why telling them could cause harm",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    contact_safe = forms.BooleanField(
        label="I have checked that this contact reaches only the patient", required=False
    )
    minutes_spent = forms.IntegerField(
        label="Minutes the review took (optional)",
        required=False,
        min_value=1,
        max_value=MAX_MINUTES,
        error_messages={
            "invalid": "Enter the minutes as a whole number",
            "min_value": f"The time spent must be between 1 and {MAX_MINUTES} minutes",
            "max_value": f"The time spent must be between 1 and {MAX_MINUTES} minutes",
        },
    )

    @classmethod
    def as_typed(cls, data) -> "DecisionForm":
        """The decision as typed, shown again unjudged: saving the checklist from the review form keeps what
        the reviewer had begun to decide, without errors for a decision they have not yet asked to record."""
        typed = cls(data)
        return cls(initial={name: typed[name].data for name in typed.fields})

    def as_input(self) -> DecisionInput:
        d = self.cleaned_data
        return DecisionInput(
            outcome=d["outcome"],
            nhs_number=d["nhs_number"],
            tell_patient=d["tell_patient"] == "yes",
            withheld_reason=d["withheld_reason"],
            contact_safe=d["contact_safe"],
            access_level=d["access_level"],
            access_from=d["access_from"],
            redactions=d["redactions"],
            reason=d["reason"],
            defer_until=d["defer_until"],
            conversation_needed=d["conversation_needed"],
            stop_automatic_access=d["stop_automatic_access"],
            minutes_spent=d["minutes_spent"],
        )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = WaitingListPolicy
        fields = [
            "need_points",
            "risk_flag_points",
            "prospective_points",
            "points_per_day",
            "target_days",
            "reviewer_hours",
            "reception_may_grant",
        ]
        labels = {
            "reception_may_grant": "Reception may grant new entries to patients with no flag",
            "need_points": "Points for a clinical need",
            "risk_flag_points": "Points for a flag that demands enhanced review",
            "prospective_points": "Points for asking only for new entries",
            "points_per_day": "Points for each day waited",
            "target_days": "Target turnaround in days",
            "reviewer_hours": "Reviewer hours set aside each week",
        }

    def clean(self):
        data = super().clean()
        for name in ("need_points", "risk_flag_points", "prospective_points"):
            if data.get(name) is not None and not 0 <= data[name] <= 1000:
                self.add_error(name, "Enter points from 0 to 1,000")
        if data.get("points_per_day") is not None and not 0.01 <= data["points_per_day"] <= 100:
            self.add_error(
                "points_per_day", "Enter points per day from 0.01 to 100: waiting must always count"
            )
        if data.get("target_days") is not None and not 1 <= data["target_days"] <= 365:
            self.add_error("target_days", "Enter a target from 1 to 365 days")
        if data.get("reviewer_hours") is not None and not 0 <= data["reviewer_hours"] <= 500:
            self.add_error("reviewer_hours", "Enter the hours a week from 0 to 500")
        return data
