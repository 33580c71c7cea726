"""What the question inbox's pages accept, in plain English. Contact details are checked by intake's validation,
as the request form's are."""

from django import forms

from recordaccess.intake import validation
from recordaccess.intake.forms import CheckedForm
from recordaccess.questions.models import ContactBy, QuestionState, Topic
from recordaccess.questions.services import MAX_ANSWER_DAYS

THEN = [
    (QuestionState.ANSWERED, "This answers their question"),
    (QuestionState.WAITING, "We are waiting for them to come back to us"),
]
ANSWER_BY = [(ContactBy.SMS, "Text message"), (ContactBy.EMAIL, "Email"), (ContactBy.LETTER, "Letter")]
TOPIC_CHOICES = [("", "Choose a topic"), *Topic.choices]


class NewQuestionForm(CheckedForm):
    """A question from a call or at the desk, keyed in by staff."""

    name = forms.CharField(
        label="Their name", max_length=200, error_messages={"required": "Enter the name of the person asking"}
    )
    contact_by = forms.ChoiceField(
        label="How should we answer them?",
        choices=ContactBy.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how we should answer them"},
    )
    mobile = forms.CharField(label="UK mobile number", required=False)
    phone = forms.CharField(label="UK phone number to call them on", required=False)
    email = forms.CharField(label="Email address", required=False)
    address = forms.CharField(
        label="Postal address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = forms.CharField(label="Postcode", required=False)
    text = forms.CharField(
        label="Their question",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter their question",
            "max_length": "Their question must be 2,000 characters or fewer",
        },
    )
    topic = forms.ChoiceField(
        label="What is it about?",
        choices=TOPIC_CHOICES,
        error_messages={"required": "Choose what it is about"},
    )
    checks = {
        "mobile": validation.optional_mobile,
        "phone": validation.optional_phone,
        "email": validation.optional_email,
    }

    def clean(self):
        cleaned = super().clean()
        by = cleaned.get("contact_by")
        if by == ContactBy.SMS and "mobile" not in self.errors and not cleaned.get("mobile"):
            self.add_error("mobile", "Enter a UK mobile number to answer by text, or choose another way")
        callable_number = cleaned.get("phone") or cleaned.get("mobile")
        if by == ContactBy.PHONE and not ({"phone", "mobile"} & set(self.errors)) and not callable_number:
            self.add_error("phone", "Enter a UK phone number to call them on, or choose another way")
        if by == ContactBy.EMAIL and "email" not in self.errors and not cleaned.get("email"):
            self.add_error("email", "Enter an email address to answer by email, or choose another way")
        if by == ContactBy.LETTER:
            try:
                cleaned["address"] = validation.address(cleaned.get("address", ""))
            except validation.Invalid:
                self.add_error(
                    "address", "Enter their postal address to answer by letter, or choose another way"
                )
            try:
                cleaned["postcode"] = validation.postcode(cleaned.get("postcode", ""))
            except validation.Invalid as error:
                self.add_error("postcode", str(error))
        elif (cleaned.get("postcode") or "").strip():
            try:
                cleaned["postcode"] = validation.postcode(cleaned["postcode"])
            except validation.Invalid as error:
                self.add_error("postcode", str(error))
        return cleaned


class AssignForm(forms.Form):
    owner = forms.TypedChoiceField(
        label="Give it to", coerce=int, error_messages={"required": "Choose who should answer it"}
    )

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, prefix="assign", **kwargs)
        self.fields["owner"].choices = [("", "Choose a member of staff")] + [
            (m.user_id, m.user.get_username()) for m in staff
        ]
        self.fields["owner"].error_messages["invalid_choice"] = "Choose a member of this practice's staff"


class TopicForm(forms.Form):
    topic = forms.ChoiceField(
        label="What is it about?",
        choices=TOPIC_CHOICES,
        error_messages={"required": "Choose what it is about"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="topic", **kwargs)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For staff only: the patient never sees it.",
        error_messages={
            "required": "Write the note",
            "max_length": "A note must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="note", **kwargs)


class AnswerForm(forms.Form):
    channel = forms.ChoiceField(
        label="Send it by",
        choices=ANSWER_BY,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how to send the answer"},
    )
    text = forms.CharField(
        label="Your answer",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain English. A text or email must not say anything clinical: someone else may read it.",
        error_messages={
            "required": "Write the answer",
            "max_length": "An answer must be 1,000 characters or fewer: call them or send a letter for more",
        },
    )
    then = forms.ChoiceField(
        label="After sending",
        choices=THEN,
        widget=forms.RadioSelect,
        initial=QuestionState.ANSWERED,
        error_messages={"required": "Select whether this answers their question"},
    )
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="answer", **kwargs)
        self.fields["number"].error_messages["required"] = "Reload the page and write the answer again"


class CallForm(forms.Form):
    text = forms.CharField(
        label="What was said",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write what was said on the call",
            "max_length": "A call's notes must be 2,000 characters or fewer",
        },
    )
    then = forms.ChoiceField(
        label="After the call",
        choices=THEN,
        widget=forms.RadioSelect,
        initial=QuestionState.ANSWERED,
        error_messages={"required": "Select whether the call answered their question"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="call", **kwargs)


class ClinicianForm(forms.Form):
    reason = forms.CharField(
        label="Why a clinician should answer it",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Say why a clinician should answer it",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="clinician", **kwargs)


class PolicyForm(forms.Form):
    answer_within_days = forms.IntegerField(
        label="Answer each question within this many days",
        min_value=1,
        max_value=MAX_ANSWER_DAYS,
        error_messages={
            "required": "Enter a number of days",
            "invalid": "Enter the number of days as a whole number, like 3",
            "min_value": f"Enter a number of days from 1 to {MAX_ANSWER_DAYS}",
            "max_value": f"Enter a number of days from 1 to {MAX_ANSWER_DAYS}",
        },
    )
