from django import forms


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
