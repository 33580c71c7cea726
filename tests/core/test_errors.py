import pytest
from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils.module_loading import import_string

from recordaccess.core.errors import DomainError, DomainErrorMiddleware, NotFound, show_on_form
from recordaccess.practices.roles import Role
from recordaccess.review.decisions import DecisionRefused


class TwoQuestions(forms.Form):
    outcome = forms.CharField(required=False)
    note = forms.CharField(required=False)


def test_a_refusal_goes_to_the_top_of_the_form_unless_a_field_is_named():
    form = TwoQuestions({})
    form.is_valid()
    show_on_form(form, DomainError("That request has moved on"))
    show_on_form(form, DomainError("Too long"), field="note")
    assert form.non_field_errors() == ["That request has moved on"]
    assert form.errors["note"] == ["Too long"]


def test_each_message_of_a_refusal_goes_beside_its_own_question():
    form = TwoQuestions({})
    form.is_valid()
    show_on_form(form, DecisionRefused([("outcome", "Choose an outcome"), ("elsewhere", "Check the match")]))
    assert form.errors["outcome"] == ["Choose an outcome"]
    assert form.non_field_errors() == ["Check the match"]


def test_not_found_is_a_404(rf):
    with pytest.raises(Http404):
        DomainErrorMiddleware(lambda request: None).process_exception(rf.get("/"), NotFound("Not found"))


def test_a_refusal_from_a_view_that_declared_nothing_is_left_alone(rf):
    request = rf.get("/")
    request.resolver_match = None
    assert DomainErrorMiddleware(lambda r: None).process_exception(request, DomainError("No")) is None
    assert DomainErrorMiddleware(lambda r: None).process_exception(request, ValueError("No")) is None


def test_a_refusal_is_shown_on_the_page_its_view_declared(staff_client, practice):
    client = staff_client(Role.ADMINISTRATOR)
    gone = 999_999  # the service refuses: "That resource has already been removed."
    response = client.post(
        reverse("staff:resource_delete", kwargs={"ods": practice.ods_code, "resource_id": gone}), follow=True
    )
    assert response.redirect_chain == [(reverse("staff:resources", kwargs={"ods": practice.ods_code}), 302)]
    assert "That resource has already been removed." in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "recordaccess.conversations.services.BookingError",
        "recordaccess.intake.services.RequestError",
        "recordaccess.intake.validation.Invalid",
        "recordaccess.outreach.messages.TemplateError",
        "recordaccess.outreach.services.CampaignError",
        "recordaccess.patients.contacts.ContactError",
        "recordaccess.patients.services.CohortError",
        "recordaccess.patients.services.FlagError",
        "recordaccess.patients.services.ImportBusy",
        "recordaccess.patients.services.NotOnWorklist",
        "recordaccess.practices.services.PracticeError",
        "recordaccess.questions.services.QuestionError",
        "recordaccess.review.coding.CodingError",
        "recordaccess.review.services.ReviewError",
    ],
)
def test_every_refusal_a_person_reads_is_a_domain_error(path):
    assert issubclass(import_string(path), DomainError)
