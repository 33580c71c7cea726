import datetime

from django import forms
from django.utils import timezone

from recordaccess.core.dateinput import DateInputField


class TemplateForm(forms.Form):
    subject = forms.CharField(max_length=200, required=False, label="Subject")
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Enter the message"},
    )


class CampaignForm(forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter a name for the campaign"})
    cohort = forms.ModelChoiceField(
        queryset=None,
        empty_label="Choose a cohort",
        error_messages={"required": "Choose who the campaign is for"},
    )
    sms_template = forms.ModelChoiceField(queryset=None, required=False, label="Text message template")
    email_template = forms.ModelChoiceField(queryset=None, required=False, label="Email template")
    letter_template = forms.ModelChoiceField(queryset=None, required=False, label="Letter template")
    sms_review_template = forms.ModelChoiceField(
        queryset=None, required=False, label="Text message for patients who need enhanced review"
    )
    email_review_template = forms.ModelChoiceField(
        queryset=None, required=False, label="Email for patients who need enhanced review"
    )
    letter_review_template = forms.ModelChoiceField(
        queryset=None, required=False, label="Letter for patients who need enhanced review"
    )
    skip_told_within_days = forms.IntegerField(
        label="Leave out patients told in the last … days",
        initial=30,
        min_value=0,
        max_value=3650,
        error_messages={"invalid": "Enter a whole number of days", "min_value": "Enter 0 or more days"},
    )

    def __init__(self, *args, practice, **kwargs):
        super().__init__(*args, **kwargs)
        from recordaccess.outreach.models import MessageTemplate, TemplateStatus

        self.fields["cohort"].queryset = practice.cohorts.all()
        approved = MessageTemplate.objects.filter(practice=practice, status=TemplateStatus.APPROVED)
        standard = approved.filter(purpose="announcement", higher_risk=False)
        review = (
            approved.filter(purpose="announcement", higher_risk=True)
            if practice.approach == "hybrid"
            else approved.filter(purpose="enhanced_review")
        )
        for channel in ("sms", "email", "letter"):
            self.fields[f"{channel}_template"].queryset = standard.filter(channel=channel)
            self.fields[f"{channel}_review_template"].queryset = review.filter(channel=channel)

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"{c}_template") for c in ("sms", "email", "letter")):
            raise forms.ValidationError("Choose at least one approved template")
        return cleaned


def _whole_minutes(value: datetime.time | None) -> datetime.time | None:
    if value is not None and (value.second or value.microsecond):
        raise forms.ValidationError("Enter a time in hours and minutes, like 08:00")
    return value


class WindowForm(forms.Form):
    """The hours a campaign may send in: whole minutes, the start before the end, Sundays only if chosen."""

    window_start = forms.TimeField(
        label="Start sending from",
        input_formats=["%H:%M"],
        help_text="For example 08:00",
        error_messages={"required": "Enter the time sending starts", "invalid": "Enter a time like 08:00"},
    )
    window_end = forms.TimeField(
        label="Stop sending at",
        input_formats=["%H:%M"],
        help_text="For example 20:00",
        error_messages={"required": "Enter the time sending stops", "invalid": "Enter a time like 20:00"},
    )
    send_on_sundays = forms.BooleanField(label="Send on Sundays too", required=False)

    def clean_window_start(self):
        return _whole_minutes(self.cleaned_data.get("window_start"))

    def clean_window_end(self):
        return _whole_minutes(self.cleaned_data.get("window_end"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("window_start"), cleaned.get("window_end")
        if start is not None and end is not None and start >= end:
            self.add_error("window_end", "The time sending stops must be after the time it starts")
        return cleaned


class ScheduleForm(forms.Form):
    """When an approved campaign starts sending by itself."""

    day = DateInputField(
        label="Date", error_messages={"required": "Enter the date", "invalid": "Enter a real date"}
    )
    time = forms.TimeField(
        label="Time",
        input_formats=["%H:%M"],
        help_text="For example 09:30",
        error_messages={"required": "Enter the time", "invalid": "Enter a time like 09:30"},
    )

    def at(self) -> datetime.datetime:
        d = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(d["day"], d["time"]))
