"""The request form's questions, one page each where it helps. Every field is checked by intake/validation.py;
the forms only turn its messages into Django's errors."""

from django import forms
from django.utils import timezone

from recordaccess.core.uploads import check_size
from recordaccess.intake import validation
from recordaccess.intake.models import AccessLevel, IdentityMethod, ProxyBasis
from recordaccess.patients.models import Preference

PREFERENCE_CHOICES = [
    (Preference.WANTS_ACCESS, "I want to see my GP health record online"),
    (Preference.NO_ACCESS, "I do not want to see my GP health record online"),
    (Preference.HAS_QUESTIONS, "I have questions: please contact me"),
]
DECLARATIONS = [
    ("leaflet", "I have read the practice's information about online access"),
    ("security", "I will keep my login details safe, and I am responsible for what I see or download"),
    ("sharing", "If I choose to share my record with anyone, I do so at my own risk"),
    ("misuse", "I will tell the practice if I think someone else has used my account"),
    ("wrong", "I will tell the practice if I see information that is not about me or is wrong"),
]


def check_date_of_birth(form: forms.Form, cleaned: dict) -> None:
    """The day, month and year boxes as one date, its message on the first box (where the summary links)."""
    try:
        cleaned["date_of_birth"] = validation.date_of_birth(
            cleaned.get("day", ""),
            cleaned.get("month", ""),
            cleaned.get("year", ""),
            today=timezone.localdate(),
        )
    except validation.Invalid as error:
        form.add_error("day", str(error))


class CheckedForm(forms.Form):
    """A form whose fields are checked by one function each from intake/validation.py."""

    checks: dict = {}

    def clean(self):
        cleaned = super().clean()
        for field, check in self.checks.items():
            if field in self.errors:
                continue
            try:
                cleaned[field] = check(self.data.get(self.add_prefix(field), ""))
            except validation.Invalid as error:
                self.add_error(field, str(error))
        return cleaned


class ChoiceForm(forms.Form):
    wish = forms.ChoiceField(
        label="What would you like to do?",
        choices=PREFERENCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you would like to do"},
    )
    website = forms.CharField(required=False, label="Leave this blank")  # a honeypot for robots


class WhoForm(forms.Form):
    who = forms.ChoiceField(
        label="Who is this for?",
        choices=[("myself", "Myself"), ("someone_else", "Someone I care for or act for")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select who this is for"},
    )


class ProxyForm(CheckedForm):
    requester_name = forms.CharField(label="Your full name", required=False)
    requester_relationship = forms.CharField(
        label="Your relationship to them", required=False, help_text="For example, parent, carer or son"
    )
    proxy_basis = forms.ChoiceField(
        label="What lets you act for them?",
        choices=ProxyBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what lets you act for them"},
    )
    checks = {
        "requester_name": lambda v: validation.name(v, what="your full name"),
        "requester_relationship": lambda v: validation.text(
            v, limit=100, what="your relationship to them", required=True
        ),
    }


class NameForm(CheckedForm):
    given_name = forms.CharField(label="First name", required=False)
    family_name = forms.CharField(label="Last name", required=False)
    checks = {
        "given_name": lambda v: validation.name(v, what="a first name"),
        "family_name": lambda v: validation.name(v, what="a last name"),
    }


class DateOfBirthForm(forms.Form):
    day = forms.CharField(required=False, label="Day")
    month = forms.CharField(required=False, label="Month")
    year = forms.CharField(required=False, label="Year")

    def clean(self):
        cleaned = super().clean()
        check_date_of_birth(self, cleaned)
        return cleaned


class AddressForm(CheckedForm):
    address = forms.CharField(
        label="Address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Not the postcode",
    )
    postcode = forms.CharField(label="Postcode", required=False)
    checks = {"address": validation.address, "postcode": validation.postcode}


class NhsNumberForm(CheckedForm):
    nhs_number = forms.CharField(
        label="NHS number (if you know it)",
        required=False,
        help_text="It is 10 digits, like 485 777 3456. You can find it on letters from the NHS or in the NHS App.",
    )
    checks = {"nhs_number": validation.optional_nhs_number}


CONTACT_BY = [("sms", "Text message"), ("email", "Email"), ("phone", "Phone call"), ("letter", "Letter")]


class ContactForm(CheckedForm):
    mobile = forms.CharField(label="UK mobile number", required=False)
    phone = forms.CharField(
        label="UK phone number to call you on (optional)",
        required=False,
        help_text="A landline or a mobile. We use your mobile number if you leave this empty.",
    )
    email = forms.CharField(label="Email address", required=False)
    contact_by = forms.ChoiceField(
        label="How should we contact you?",
        choices=CONTACT_BY,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how we should contact you"},
    )
    checks = {
        "mobile": validation.optional_mobile,
        "phone": validation.optional_phone,
        "email": validation.optional_email,
    }

    def clean(self):
        """A text needs a mobile; a call needs a number to call, a landline or the mobile."""
        cleaned = super().clean()
        by = cleaned.get("contact_by")
        if by == "sms" and "mobile" not in self.errors and not cleaned.get("mobile"):
            self.add_error("mobile", "Enter a UK mobile number, or choose another way to contact you")
        callable_number = cleaned.get("phone") or cleaned.get("mobile")
        if by == "phone" and not ({"phone", "mobile"} & set(self.errors)) and not callable_number:
            self.add_error(
                "phone", "Enter a UK phone number, landline or mobile, or choose another way to contact you"
            )
        if by == "email" and "email" not in self.errors and not cleaned.get("email"):
            self.add_error("email", "Enter an email address, or choose another way to contact you")
        return cleaned


class AccessForm(forms.Form):
    access_level = forms.ChoiceField(
        label="What would you like to see?",
        choices=AccessLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you would like to see"},
    )
    services = forms.MultipleChoiceField(
        label="Would you also like to use these online services? (optional)",
        choices=[
            ("appointments", "Booking appointments"),
            ("prescriptions", "Ordering repeat prescriptions"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class QuestionForm(CheckedForm):
    question = forms.CharField(label="What would you like to ask?", required=False, widget=forms.Textarea)
    checks = {"question": lambda v: validation.text(v, limit=2000, what="your question", required=True)}


class NeedsForm(CheckedForm):
    communication_needs = forms.CharField(
        label="Do you need anything to help you communicate with us? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, large print, easy read, British Sign Language or an interpreter",
    )
    checks = {
        "communication_needs": lambda v: validation.text(v, limit=1000, what="your communication needs")
    }


class DeclarationsForm(forms.Form):
    confirmed = forms.MultipleChoiceField(
        label="Confirm each of these",
        choices=DECLARATIONS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Confirm each statement to ask for access"},
    )

    def clean_confirmed(self):
        chosen = self.cleaned_data["confirmed"]
        if set(chosen) != {key for key, _ in DECLARATIONS}:
            raise forms.ValidationError("Confirm each statement to ask for access")
        return chosen


class StatusForm(DateOfBirthForm):
    reference = forms.CharField(label="Your reference", required=False, help_text="For example, K7M2-Q9XD")
    field_order = ["reference"]  # as the page asks, so the error summary lists the problems in the same order

    def clean(self):
        cleaned = super().clean()
        if not (self.data.get("reference") or "").strip():
            self.add_error("reference", "Enter your reference")
        return cleaned


class StaffRequestForm(CheckedForm):
    """A paper form, a phone call or a request in a consultation, keyed in by staff: the online form's
    questions on one page, checked the same way."""

    route = forms.ChoiceField(
        label="How did the request reach us?",
        choices=[("paper", "Paper form"), ("phone", "Phone call"), ("consultation", "Consultation")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the request reached the practice"},
    )
    wish = ChoiceForm.base_fields["wish"]
    given_name = forms.CharField(label="First name", required=False)
    family_name = forms.CharField(label="Last name", required=False)
    day = forms.CharField(label="Day", required=False)
    month = forms.CharField(label="Month", required=False)
    year = forms.CharField(label="Year", required=False)
    address = forms.CharField(label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label="Postcode", required=False)
    nhs_number = forms.CharField(label="NHS number (optional)", required=False)
    mobile = forms.CharField(label="Mobile (optional)", required=False)
    phone = forms.CharField(
        label="Phone number to call them on, landline or mobile (optional)", required=False
    )
    email = forms.CharField(label="Email (optional)", required=False)
    contact_by = forms.ChoiceField(
        label="How should we contact them?",
        choices=[("", "As their details allow (text, else email, else letter)"), *CONTACT_BY],
        required=False,
        help_text="The paper form's “You may contact me by” boxes, or what they told you.",
    )
    communication_needs = forms.CharField(
        label="Anything to help them communicate with us (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, large print, easy read, British Sign Language or an interpreter",
    )
    access_level = forms.ChoiceField(
        label="What would they like to see? (if they want access)",
        choices=[("", "Not asked for"), *AccessLevel.choices],
        required=False,
    )
    services = forms.MultipleChoiceField(
        label="Online services they also ticked (optional)",
        choices=AccessForm.base_fields["services"].choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    question = forms.CharField(
        label="Their question (if any)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    declarations = forms.BooleanField(
        label="The patient signed or confirmed the declarations", required=False
    )
    # The paper form's "If you are asking for someone else" section (H62), in the page's order.
    proxy_basis = forms.ChoiceField(
        label="What lets them act for the patient?",
        choices=[("", "The patient is asking for themselves"), *ProxyBasis.choices],
        required=False,
    )
    requester_name = forms.CharField(label="Name of the person asking, if not the patient", required=False)
    requester_relationship = forms.CharField(label="Their relationship to the patient", required=False)
    checks = {
        "given_name": lambda v: validation.name(v, what="a first name"),
        "family_name": lambda v: validation.name(v, what="a last name"),
        "address": validation.address,
        "postcode": validation.postcode,
        "nhs_number": validation.optional_nhs_number,
        "mobile": validation.optional_mobile,
        "phone": validation.optional_phone,
        "email": validation.optional_email,
        "question": lambda v: validation.text(v, limit=2000, what="the question"),
        "communication_needs": lambda v: validation.text(v, limit=1000, what="their communication needs"),
    }

    def clean(self):
        cleaned = super().clean()
        check_date_of_birth(self, cleaned)
        wish = cleaned.get("wish")
        if wish == "wants_access" and not cleaned.get("access_level"):
            self.add_error("access_level", "Select what they would like to see")
        if wish == "wants_access" and not cleaned.get("declarations"):
            self.add_error("declarations", "The patient must confirm the declarations to ask for access")
        if wish == "has_questions" and not cleaned.get("question"):
            self.add_error("question", "Enter their question")
        self._check_proxy(cleaned)
        self._check_contact(cleaned)
        return cleaned

    def _check_contact(self, cleaned) -> None:
        """The online form's rule: a way of contacting them needs its number or address."""
        by = cleaned.get("contact_by")
        if by == "sms" and "mobile" not in self.errors and not cleaned.get("mobile"):
            self.add_error("mobile", "Enter their UK mobile number, or choose another way to contact them")
        callable_number = cleaned.get("phone") or cleaned.get("mobile")
        if by == "phone" and not ({"phone", "mobile"} & set(self.errors)) and not callable_number:
            self.add_error(
                "phone",
                "Enter their UK phone number, landline or mobile, or choose another way to contact them",
            )
        if by == "email" and "email" not in self.errors and not cleaned.get("email"):
            self.add_error("email", "Enter their email address, or choose another way to contact them")

    def _check_proxy(self, cleaned) -> None:
        name, relationship = cleaned.get("requester_name", ""), cleaned.get("requester_relationship", "")
        if not cleaned.get("proxy_basis"):
            if name or relationship:
                self.add_error("proxy_basis", "Select what lets them act for the patient")
            return
        try:
            cleaned["requester_name"] = validation.name(name, what="the name of the person asking")
        except validation.Invalid as error:
            self.add_error("requester_name", str(error))
        try:
            cleaned["requester_relationship"] = validation.text(
                relationship, limit=100, what="their relationship to the patient", required=True
            )
        except validation.Invalid as error:
            self.add_error("requester_relationship", str(error))

    def details(self):
        from recordaccess.intake.services import RequestDetails

        d = self.cleaned_data
        return RequestDetails(
            wish=d["wish"],
            given_name=d["given_name"],
            family_name=d["family_name"],
            date_of_birth=d["date_of_birth"],
            address=d["address"],
            postcode=d["postcode"],
            nhs_number=d["nhs_number"],
            mobile=d["mobile"],
            phone=d["phone"],
            email=d["email"],
            contact_by=d["contact_by"] or _staff_contact_by(d),
            communication_needs=d["communication_needs"],
            access_level=d["access_level"] if d["wish"] == "wants_access" else "",
            appointments="appointments" in d["services"] and d["wish"] == "wants_access",
            prescriptions="prescriptions" in d["services"] and d["wish"] == "wants_access",
            question=d["question"],
            declarations=bool(d["declarations"]),
            for_someone_else=bool(d["proxy_basis"]),
            requester_name=d["requester_name"] if d["proxy_basis"] else "",
            requester_relationship=d["requester_relationship"] if d["proxy_basis"] else "",
            proxy_basis=d["proxy_basis"],
        )


def _staff_contact_by(d: dict) -> str:
    """When staff do not say how: a keyed-in request is answered by text if there is a mobile, else email, else
    a call to the number given (a landline is enough for a call), else a letter."""
    if d["mobile"]:
        return "sms"
    if d["email"]:
        return "email"
    return "phone" if d["phone"] else "letter"


class IdentityForm(forms.Form):
    method = forms.ChoiceField(
        label="How was their identity verified?",
        choices=IdentityMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how their identity was verified"},
    )
    remote = forms.BooleanField(label="Done without the patient at the practice (remotely)", required=False)
    evidence = forms.CharField(
        label="What did you see?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For documents, say which two (for example, passport and a council tax bill).",
    )
    document = forms.FileField(
        label="A copy of the documents (optional)",
        required=False,
        help_text="PDF, JPEG or PNG, up to 5 MB. Only where your practice keeps copies.",
    )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is None:
            return None
        if too_large := check_size(document, "IDENTITY_DOCUMENT_MAX_BYTES"):
            raise forms.ValidationError(too_large.replace("The file", "The copy"))
        head = document.read(8)
        document.seek(0)
        if not (head.startswith(b"%PDF-") or head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG")):
            raise forms.ValidationError("The copy must be a PDF, JPEG or PNG")
        return document


class ProxyAuthorityForm(forms.Form):
    evidence = forms.CharField(
        label="Evidence of their authority to act",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: the patient's signed consent; a birth certificate; the registered LPA for health "
        "and welfare; the court order. Say what you saw; do not copy it.",
        error_messages={"required": "Say what evidence of their authority you saw"},
    )
    competence_assessed = forms.BooleanField(
        label="For a child aged 11 to 15: the case has been assessed (Gillick competence)", required=False
    )


class ConsultationRequestForm(forms.Form):
    """A request recorded in a consultation, from the patient's page: the rules are the service's
    (`capture_in_consultation`), which names the field each refusal is about."""

    wish = forms.ChoiceField(
        label="What did they ask?",
        choices=[
            ("wants_access", "Wants online access"),
            ("no_access", "Does not want online access"),
            ("has_questions", "Has a question"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    access_level = forms.ChoiceField(
        label="If they want access, what should they see?",
        choices=[("", "Not asked for"), *AccessLevel.choices],
        required=False,
    )
    declarations = forms.BooleanField(
        label="We went through the declarations together and they agreed", required=False
    )
