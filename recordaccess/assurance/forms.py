"""What each step's page accepts, in plain words; the services check the same again for other callers."""

from django import forms
from django.utils import timezone

from recordaccess.assurance.defaults import CONTROLS
from recordaccess.assurance.models import Assessment, Consulted, Effect
from recordaccess.assurance.risk import Likelihood, Severity
from recordaccess.assurance.steps import BY_SLUG
from recordaccess.core.dateinput import DateInputField
from recordaccess.core.fields import radios
from recordaccess.practices.models import DpoAdviceOutcome

HINTS = {
    "need": "What the processing aims to achieve and why it needs a DPIA: health data, of many patients, "
    "shown to them online in a new way.",
    "nature": "How you collect, use, store and delete the data; who has access; any processors.",
    "scope": "What data, how much and how often; how many patients; how long it is kept.",
    "context": "Patients' relationship with the practice, what they expect, vulnerable groups, any concerns.",
    "purposes": "What you want to achieve; the benefit to patients and to the practice.",
    "lawful_basis": "The UK GDPR articles 6 and 9 conditions, and the contract's duty to give access.",
    "data_minimisation": "How you show no more than is needed: levels of access, redaction, exclusions.",
    "information_to_patients": "How patients are told: messages, letters, posters, the website, the privacy notice.",
    "rights": "How patients can decline, ask for more, complain, or have something corrected.",
}
TEXT_LIMIT = 20000


def _text_field(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"{label} must be {TEXT_LIMIT:,} characters or fewer"},
    )


def step_form(slug: str, data=None, assessment: Assessment | None = None) -> forms.Form:
    """The form for step 1, 2 or 4: one box per question of the step, filled from the version."""
    step = BY_SLUG[slug]
    form = forms.Form(
        data, initial={name: getattr(assessment, name) for name in step.fields} if assessment else None
    )
    for name in step.fields:
        form.fields[name] = _text_field(
            Assessment._meta.get_field(name).verbose_name.capitalize(), HINTS[name]
        )
    return form


class ConsultationForm(forms.Form):
    consulted = forms.ChoiceField(
        label="Who was consulted",
        choices=Consulted.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who was consulted", "invalid_choice": "Choose who was consulted"},
    )
    who = forms.CharField(
        label="Their name, or the group's",
        max_length=200,
        error_messages={
            "required": "Enter the name of the person or group consulted",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    held_on = DateInputField(
        label="When",
        error_messages={
            "required": "Enter the date of the consultation",
            "invalid": "Enter the date of the consultation as a real date, like 6 10 2023",
        },
    )
    said = forms.CharField(
        label="What they said",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what they said", "max_length": "What they said is too long"},
    )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on and held_on > timezone.localdate():
            raise forms.ValidationError("The date of the consultation must be today or in the past")
        return held_on


class RiskForm(forms.Form):
    title = forms.CharField(
        label="The risk, in a few words",
        max_length=200,
        error_messages={
            "required": "Enter the risk, in a few words",
            "max_length": "The risk must be 200 characters or fewer",
        },
    )
    source = forms.CharField(
        label="Source of the risk",
        help_text="Who or what could cause the harm, and how.",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the source of the risk: who or what could cause the harm",
            "max_length": "The source is too long",
        },
    )
    likelihood = radios("Likelihood of harm", Likelihood.choices, "Choose how likely the harm is")
    severity = radios("Severity of harm", Severity.choices, "Choose how severe the harm would be")
    control = forms.ChoiceField(
        label="The control in this service that mitigates it",
        choices=[("", "None of these")] + [(key, control.name) for key, control in CONTROLS.items()],
        required=False,
        error_messages={"invalid_choice": "Choose a control from the list, or none"},
    )


class MeasuresForm(forms.Form):
    measures = forms.CharField(
        label="Measures to reduce or eliminate the risk",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the measures that reduce or eliminate the risk",
            "max_length": "The measures are too long",
        },
    )
    effect = radios("Effect on the risk", Effect.choices, "Choose the measures' effect on the risk")
    residual_likelihood = radios(
        "Likelihood of harm after the measures",
        Likelihood.choices,
        "Choose how likely the harm is after the measures",
    )
    residual_severity = radios(
        "Severity of harm after the measures",
        Severity.choices,
        "Choose how severe the harm would be after the measures",
    )
    approved = forms.TypedChoiceField(
        label="Are the measures approved?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether the measures are approved",
            "invalid_choice": "Say whether the measures are approved",
        },
    )

    @classmethod
    def for_risk(cls, risk, data=None):
        initial = {
            "measures": risk.measures,
            "effect": risk.effect,
            "residual_likelihood": risk.residual_likelihood,
            "residual_severity": risk.residual_severity,
            "approved": {True: "yes", False: "no"}.get(risk.approved, ""),
        }
        return cls(data, initial=initial)


def _name_field(label: str, required: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=200,
        error_messages={"required": required, "max_length": f"{label} must be 200 characters or fewer"},
    )


class SignOffForm(forms.Form):
    reference = forms.CharField(
        label="DPIA reference",
        help_text="Every message to patients names it.",
        max_length=100,
        error_messages={
            "required": "Enter the DPIA's reference",
            "max_length": "The reference must be 100 characters or fewer",
        },
    )
    measures_approved_by = _name_field("Measures approved by", "Enter who approved the measures")
    residual_risks_approved_by = _name_field(
        "Residual risks approved by", "Enter who approved the residual risks"
    )
    dpo_advice = forms.CharField(
        label="Summary of DPO advice",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter a summary of the DPO's advice",
            "max_length": "The summary is too long",
        },
    )
    dpo_advice_outcome = radios(
        "The DPO's advice was",
        DpoAdviceOutcome.choices,
        "Say whether the DPO's advice was accepted or overruled",
    )
    dpo_overruled_reason = forms.CharField(
        label="If overruled, why",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason is too long"},
    )
    consultation_reviewed_by = forms.CharField(
        label="Consultation responses reviewed by",
        required=False,
        max_length=200,
        error_messages={"max_length": "Consultation responses reviewed by must be 200 characters or fewer"},
    )
    kept_under_review_by = _name_field(
        "This DPIA will be kept under review by", "Enter who will keep the DPIA under review"
    )
    review_on = DateInputField(
        label="Date of the next review",
        error_messages={
            "required": "Enter the date of the next review",
            "invalid": "Enter the date of the next review as a real date, like 6 10 2027",
        },
    )
    ico_acknowledged = forms.BooleanField(
        label="The ICO will be consulted before processing starts",
        required=False,
        help_text="Needed when a residual risk is high.",
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("dpo_advice_outcome") == DpoAdviceOutcome.OVERRULED
            and not (cleaned.get("dpo_overruled_reason") or "").strip()
        ):
            self.add_error("dpo_overruled_reason", "Say why the DPO's advice was overruled")
        review_on = cleaned.get("review_on")
        if review_on and review_on <= timezone.localdate():
            self.add_error("review_on", "The date of the next review must be in the future")
        return cleaned
