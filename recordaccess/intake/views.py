"""Public pages for patients. They never reveal whether someone is registered at the practice."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from recordaccess.audit.services import Actor
from recordaccess.core.pages import model_state, render_shared
from recordaccess.intake import children, nhslogin, security, selectors, services, wizard
from recordaccess.intake.forms import StatusForm
from recordaccess.intake.models import AccessLevel, ProxyBasis, Route, Wish
from recordaccess.intake.security import limit_body, too_many, within_limits
from recordaccess.outreach.selectors import published_notice
from recordaccess.practices import defaults
from recordaccess.practices.selectors import practice_by_ods


def _practice(ods: str):
    practice = practice_by_ods(ods)
    if practice is None:
        raise Http404("No such practice")
    return practice


def notice(request: HttpRequest, ods: str) -> HttpResponse:
    """The practice's website notice, as approved; the start page until there is one."""
    practice = _practice(ods)
    notice_html = published_notice(practice, settings.PUBLIC_BASE_URL)
    if notice_html is None:
        return redirect("intake:start", ods=ods)
    return render(request, "intake/notice.jinja", {"practice": practice, "notice": notice_html})


def start(request: HttpRequest, ods: str) -> HttpResponse:
    practice = _practice(ods)
    return render(
        request,
        "intake/start.jinja",
        {
            "practice": practice,
            "dpia": getattr(practice, "dpia", None),
            "resources": practice.resources.all(),
        },
    )


def privacy(request: HttpRequest, ods: str) -> HttpResponse:
    return _statement(request, ods, "privacy_notice", "Privacy notice")


def accessibility(request: HttpRequest, ods: str) -> HttpResponse:
    return _statement(request, ods, "accessibility_statement", "Accessibility statement")


def _statement(request: HttpRequest, ods: str, field: str, title: str) -> HttpResponse:
    """A page the practice writes (or the default written from its details), linked from every page's foot."""
    practice = _practice(ods)
    text = defaults.public_text(practice, field)
    return render(
        request,
        "intake/statement.jinja",
        {"practice": practice, "title": title, "blocks": defaults.blocks(text)},
    )


SESSION = "request:{}"


def _answers(request, practice) -> dict:
    return request.session.get(SESSION.format(practice.ods_code), {})


def _save_answers(request, practice, answers: dict) -> None:
    request.session[SESSION.format(practice.ods_code)] = answers


@limit_body
def request_step(request: HttpRequest, ods: str, step: str) -> HttpResponse:
    """One question page of the request form."""
    practice = _practice(ods)
    page = wizard.BY_SLUG.get(step)
    answers = _answers(request, practice)
    if page is None:
        raise Http404("No such question")
    # The limits are met when the form starts, never after its last page (intake/security.py): answering a page
    # starts the form, counted once; showing one only looks.
    let_in = security.start if request.method == "POST" else security.may_start
    if not let_in(request, practice):
        return too_many(request, practice)
    if not page.applies(answers):
        return redirect("intake:request_step", ods=ods, step=wizard.first_unanswered(answers) or "choice")
    form = page.form(request.POST if request.method == "POST" else None, initial=answers.get(step))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):  # the honeypot: a robot, shown nothing different
            return redirect("intake:request_step", ods=ods, step="who")
        answers[step] = wizard.stored(form.cleaned_data)
        _save_answers(request, practice, answers)
        if request.GET.get("from") == "check":  # changing one answer: back to the check page when done
            missing = wizard.first_unanswered(answers)
            if missing:
                return redirect(f"{reverse('intake:request_step', args=[ods, missing])}?from=check")
            return redirect("intake:request_check", ods=ods)
        following = wizard.next_slug(answers, step)
        if following == "check":
            return redirect("intake:request_check", ods=ods)
        return redirect("intake:request_step", ods=ods, step=following)
    steps = [s.slug for s in wizard.applicable(answers)]
    back = steps[steps.index(step) - 1] if step in steps and steps.index(step) > 0 else None
    title, for_other = page.title(answers), wizard.for_someone_else(answers)
    context = {
        "practice": practice,
        "form": form,
        "step": page,
        "title": title,
        "back": back,
        "for_other": for_other,
    }
    if request.method == "GET" and step not in answers:
        # A blank question: the same page for every visitor with these words and this Back link (core/pages.py).
        key = (model_state(practice), step, title, back, for_other)
        return render_shared(request, "intake/request_step.jinja", context, key=key)
    return render(request, "intake/request_step.jinja", context)


@limit_body
def request_check(request: HttpRequest, ods: str) -> HttpResponse:
    """Check your answers, then send."""
    practice = _practice(ods)
    answers = _answers(request, practice)
    if not answers and request.session.get(f"request:{ods}:done"):  # a second click on Send: it went
        return redirect("intake:request_done", ods=ods)
    missing = wizard.first_unanswered(answers)
    if missing:
        return redirect("intake:request_step", ods=ods, step=missing)
    details = wizard.details(answers)
    if request.method == "POST":
        if request.POST.get("website"):  # the honeypot
            return redirect("intake:request_done", ods=ods)
        if not security.start(request, practice):  # started on the first page; a session from before, here
            return too_many(request, practice)
        saved, _joined = services.submit(
            practice=practice,
            details=details,
            route=Route.ONLINE,
            actor=Actor.system("patient (online form)"),
        )
        _save_answers(request, practice, {})
        security.finish(request, practice)
        request.session[f"request:{ods}:done"] = saved.reference_display
        request.session[f"request:{ods}:done_id"] = saved.pk
        return redirect("intake:request_done", ods=ods)
    child = children.assessment(
        details.date_of_birth, wish=details.wish, for_someone_else=details.for_someone_else
    )
    return render(
        request,
        "intake/request_check.jinja",
        {"practice": practice, "d": details, "labels": LABELS, "child": child},
    )


def request_done(request: HttpRequest, ods: str) -> HttpResponse:
    practice = _practice(ods)
    reference = request.session.get(f"request:{ods}:done")
    if reference is None:
        return redirect("intake:start", ods=ods)
    return render(
        request,
        "intake/request_done.jinja",
        {"practice": practice, "reference": reference, "nhs_login": nhslogin.configured()},
    )


def _return_url(ods: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("intake:nhs_login_return", kwargs={"ods": ods})


def nhs_login_start(request: HttpRequest, ods: str) -> HttpResponse:
    """Send the patient who has just sent a request to NHS login to prove who they are."""
    _practice(ods)  # 404 for an unknown practice
    request_id = request.session.get(f"request:{ods}:done_id")
    if not nhslogin.configured() or request_id is None:
        return redirect("intake:start", ods=ods)
    url, state, nonce = nhslogin.start(_return_url(ods))
    request.session[f"nhs_login:{ods}"] = {"state": state, "nonce": nonce, "request_id": request_id}
    return redirect(url)


def nhs_login_return(request: HttpRequest, ods: str) -> HttpResponse:
    practice = _practice(ods)
    pending = request.session.pop(f"nhs_login:{ods}", None)
    outcome = "failed"
    if pending and request.GET.get("state") == pending["state"] and "code" in request.GET:
        access_request = selectors.request_or_none(practice, pending["request_id"])
        try:
            verified = nhslogin.finish(
                redirect_uri=_return_url(ods),
                callback_url=_return_url(ods) + "?" + request.GET.urlencode(),
                state=pending["state"],
                nonce=pending["nonce"],
            )
            if access_request is not None:
                outcome = services.verify_with_nhs_login(request=access_request, verified=verified)
        except nhslogin.NhsLoginError:
            outcome = "failed"
    return render(request, "intake/nhs_login_result.jinja", {"practice": practice, "outcome": outcome})


@limit_body
def request_status(request: HttpRequest, ods: str) -> HttpResponse:
    """A patient checks progress with their reference and date of birth: nothing else is shown or needed."""
    practice = _practice(ods)
    form = StatusForm(request.POST if request.method == "POST" else None)
    found, looked = None, False
    if request.method == "POST" and form.is_valid():
        if not within_limits(request, practice, "status"):
            return too_many(request, practice)
        looked = True
        found = services.find_for_patient(
            practice, form.data["reference"], form.cleaned_data["date_of_birth"]
        )
    context = {"practice": practice, "form": form, "found": found, "looked": looked}
    if request.method == "GET":  # the blank form: the same for everyone (core/pages.py)
        return render_shared(request, "intake/request_status.jinja", context, key=(model_state(practice),))
    return render(request, "intake/request_status.jinja", context)


LABELS = {
    "wish": dict(Wish.choices),
    "access_level": dict(AccessLevel.choices),
    "proxy_basis": dict(ProxyBasis.choices),
    "contact_by": {"sms": "Text message", "email": "Email", "phone": "Phone call", "letter": "Letter"},
}
