"""What the questions page's "ask us" form and the staff editor accept, with a specific error for each mistake."""

from django import forms

from recordaccess.intake import validation
from recordaccess.questions.models import ContactBy, FaqAnswer


class AskForm(forms.Form):
    name = forms.CharField(label="Your name", required=False, max_length=400)
    contact_by = forms.ChoiceField(
        label="How should we reply?",
        choices=[(ContactBy.SMS, "By text message"), (ContactBy.EMAIL, "By email")],
        widget=forms.RadioSelect,
        required=False,
    )
    mobile = forms.CharField(
        label="Mobile phone number",
        required=False,
        max_length=40,
        help_text="Only if you chose text message.",
    )
    email = forms.CharField(
        label="Email address", required=False, max_length=400, help_text="Only if you chose email."
    )
    question = forms.CharField(
        label="Your question",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Do not include medical details. We will reply to you, and can arrange a call if you need one.",
    )

    def clean_name(self) -> str:
        return self._check(validation.name, self.cleaned_data["name"], what="your name")

    def clean_question(self) -> str:
        return self._check(
            validation.text, self.cleaned_data["question"], limit=2000, what="your question", required=True
        )

    def clean_contact_by(self) -> str:
        value = self.cleaned_data["contact_by"]
        if not value:
            raise forms.ValidationError("Select how we should reply: by text message or by email")
        return value

    def clean(self):
        data = super().clean()
        chosen = data.get("contact_by")
        if chosen == ContactBy.SMS:
            if not (data.get("mobile") or "").strip():
                self.add_error("mobile", "Enter a mobile phone number, so we can text you our reply")
            else:
                data["mobile"] = self._on_field("mobile", validation.optional_mobile, data["mobile"])
        elif chosen == ContactBy.EMAIL:
            if not (data.get("email") or "").strip():
                self.add_error("email", "Enter an email address, so we can email you our reply")
            else:
                data["email"] = self._on_field("email", validation.optional_email, data["email"])
        return data

    def _on_field(self, field: str, check, value: str) -> str:
        try:
            return check(value)
        except validation.Invalid as error:
            self.add_error(field, str(error))
            return ""

    @staticmethod
    def _check(check, value, **kwargs):
        try:
            return check(value, **kwargs)
        except validation.Invalid as error:
            raise forms.ValidationError(str(error)) from error


class AnswerForm(forms.ModelForm):
    """An administrator's edit of one answer: the public wording and the call guide's."""

    class Meta:
        model = FaqAnswer
        fields = ["question", "answer", "script", "may_say", "may_not_say", "pass_to_clinician", "published"]
        labels = {
            "question": "Question",
            "answer": "Answer on the questions page",
            "script": "What reception reads on a call",
            "may_say": "Reception may say",
            "may_not_say": "Reception must not say",
            "pass_to_clinician": "When to pass the call to a clinician",
            "published": "Show this answer on the questions page",
        }
        help_texts = {
            "answer": "Plain English. A blank line starts a paragraph, a line starting '- ' a list item, and "
            "[words](https://…) a link. ((practice phone)), ((target days)) and ((answer days)) are filled in.",
            "may_say": "One point a line, each starting '- '.",
            "may_not_say": "One point a line, each starting '- '.",
        }
        widgets = {
            field: forms.Textarea(attrs={"rows": 4})
            for field in ["script", "may_say", "may_not_say", "pass_to_clinician"]
        } | {"answer": forms.Textarea(attrs={"rows": 12})}
        error_messages = {
            "question": {
                "required": "Enter the question",
                "max_length": "The question must be 200 characters or fewer",
            },
            "answer": {
                "required": "Enter the answer",
                "max_length": "The answer must be 5,000 characters or fewer",
            },
            "script": {"max_length": "The script must be 3,000 characters or fewer"},
            "may_say": {"max_length": "What reception may say must be 2,000 characters or fewer"},
            "may_not_say": {"max_length": "What reception must not say must be 2,000 characters or fewer"},
            "pass_to_clinician": {"max_length": "When to pass the call on must be 2,000 characters or fewer"},
        }

    def clean(self):
        data = super().clean()
        for field in ("question", "answer", "script", "may_say", "may_not_say", "pass_to_clinician"):
            if field in data and isinstance(data[field], str):
                try:
                    data[field] = validation.text(
                        data[field], limit=self.fields[field].max_length or 5000, what=f"the {field}"
                    ).replace("\r\n", "\n")
                except validation.Invalid as error:
                    self.add_error(field, str(error))
        return data
