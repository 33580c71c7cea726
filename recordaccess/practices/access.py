"""Who may open which staff page: the one matrix, enforced by one middleware.

Every URL in the `staff` namespace must have an entry in ACCESS; a page without one is refused, so a new
view cannot skip the matrix (tests/practices/test_access_matrix.py walks every staff URL as every role).
Pages under /staff/p/<ods>/ also need a membership of that practice: anyone else gets 404, which does
not reveal whether the practice exists.
"""

import logging
from enum import Enum
from urllib.parse import urlencode

from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse

from recordaccess.practices.roles import ALL_ROLES, PATIENT_DATA_ROLES, Role


class Stage(Enum):
    """How far through sign-in a visitor must be, for pages that are not about one practice."""

    ANYONE = "anyone"
    FIRST_FACTOR = "first_factor"  # password accepted, two-factor still to do
    SIGNED_IN = "signed_in"  # password and two-factor


logger = logging.getLogger(__name__)

ADMIN = frozenset({Role.ADMINISTRATOR})
# Adding or ending a flag changes who needs enhanced review: a clinician's call, or the practice manager's (who
# runs the weekly import and corrects what it brought in error). Reception see flags but do not change them.
FLAG_EDITORS = frozenset({Role.ADMINISTRATOR, Role.REVIEWER})

ACCESS: dict[str, Stage | frozenset[Role]] = {
    "staff:sign_in": Stage.ANYONE,
    "staff:sign_out": Stage.ANYONE,
    "staff:enrol": Stage.FIRST_FACTOR,
    "staff:verify": Stage.FIRST_FACTOR,
    "staff:home": Stage.SIGNED_IN,
    # An account's own invitations, answered only by its holder signed in with their own second factor.
    "staff:invitation_answer": Stage.SIGNED_IN,
    "staff:dashboard": ALL_ROLES,
    "staff:practice": ADMIN,
    "staff:practice_edit": ADMIN,
    "staff:dpia_edit": ADMIN,
    "staff:resources": ADMIN,
    "staff:resource_delete": ADMIN,
    "staff:staff": ADMIN,
    "staff:staff_action": ADMIN,
    "staff:staff_invite": ADMIN,
    "staff:invitation_withdraw": ADMIN,
    "staff:audit": ADMIN,
    "staff:patients": PATIENT_DATA_ROLES,
    "staff:patient": PATIENT_DATA_ROLES,
    "staff:communication_worklist": PATIENT_DATA_ROLES,  # braille and BSL: no letter is sent, staff contact them
    "staff:communication_told": PATIENT_DATA_ROLES,
    "staff:patient_flag_add": FLAG_EDITORS,
    "staff:patient_flag_end": FLAG_EDITORS,
    "staff:cohorts": PATIENT_DATA_ROLES,
    "staff:cohort_new": PATIENT_DATA_ROLES,
    "staff:cohort": PATIENT_DATA_ROLES,
    "staff:cohort_count": PATIENT_DATA_ROLES,
    "staff:cohort_delete": PATIENT_DATA_ROLES,
    "staff:templates": ADMIN,
    "staff:template_install": ADMIN,
    "staff:template": ADMIN,
    "staff:template_approve": ADMIN,
    "staff:campaigns": ADMIN,
    "staff:campaign_new": ADMIN,
    "staff:campaign": ADMIN,
    "staff:campaign_action": ADMIN,
    "staff:outbox": ADMIN,
    "staff:replies": PATIENT_DATA_ROLES,
    "staff:reply_answered": PATIENT_DATA_ROLES,
    "staff:requests": PATIENT_DATA_ROLES,
    "staff:waiting_list": PATIENT_DATA_ROLES,
    "staff:request_need": PATIENT_DATA_ROLES,
    "staff:request_new": PATIENT_DATA_ROLES,
    "staff:request_capture": PATIENT_DATA_ROLES,
    "staff:request_paper_form": PATIENT_DATA_ROLES,
    "staff:request": PATIENT_DATA_ROLES,
    "staff:request_match": PATIENT_DATA_ROLES,
    "staff:request_identity": PATIENT_DATA_ROLES,
    "staff:request_move": PATIENT_DATA_ROLES,
    "staff:request_proxy": PATIENT_DATA_ROLES,
    "staff:identity_document": PATIENT_DATA_ROLES,
    "staff:outbox_letter": ADMIN,
    "staff:letter_print_new": ADMIN,
    "staff:letter_print": ADMIN,
    "staff:letter_print_status": ADMIN,
    "staff:letter_print_pdf": ADMIN,
    "staff:template_use": ADMIN,
    "staff:template_letter": ADMIN,
    "staff:template_poster": ADMIN,
    "staff:register": ADMIN,
    "staff:register_import": ADMIN,
    "staff:register_import_status": ADMIN,
    "staff:register_import_report": ADMIN,
    # Review: any staff member with patient data may claim and decide; review/checklist.py keeps flagged,
    # full-record and proxy requests to reviewers, whatever the page lets in.
    "staff:review": PATIENT_DATA_ROLES,
    "staff:review_claim": PATIENT_DATA_ROLES,
    "staff:review_release": PATIENT_DATA_ROLES,
    "staff:review_checklist": PATIENT_DATA_ROLES,
    "staff:review_decide": PATIENT_DATA_ROLES,
    "staff:coding": PATIENT_DATA_ROLES,
    "staff:coding_export": PATIENT_DATA_ROLES,
    "staff:coding_confirm": PATIENT_DATA_ROLES,
    "staff:redaction_done": PATIENT_DATA_ROLES,
    "staff:waiting_policy": ADMIN,
    "staff:capacity": ALL_ROLES,  # aggregate figures only
    "staff:slots": PATIENT_DATA_ROLES,
    "staff:slot": PATIENT_DATA_ROLES,
    "staff:slot_book": PATIENT_DATA_ROLES,
    "staff:booking_cancel": PATIENT_DATA_ROLES,
}

# The staff navigation, shown to a member only where ACCESS lets their role in.
NAVIGATION = [
    ("Overview", "staff:dashboard"),
    ("Patients", "staff:patients"),
    ("Requests", "staff:requests"),
    ("Waiting list", "staff:waiting_list"),  # with coding, conversations and capacity in its own navigation
    ("Cohorts", "staff:cohorts"),
    ("Practice and DPIA", "staff:practice"),
    ("Campaigns", "staff:campaigns"),
    ("Replies", "staff:replies"),
    ("Templates", "staff:templates"),
    ("Register", "staff:register"),
    ("Staff", "staff:staff"),
    ("Audit trail", "staff:audit"),
]


# The waiting list's own navigation, on its pages and those that grow from it.
REVIEW_NAVIGATION = [
    ("Waiting list", "staff:waiting_list"),
    ("Coding worklist", "staff:coding"),
    ("Conversations and drop-ins", "staff:slots"),
    ("Capacity", "staff:capacity"),
    ("Settings", "staff:waiting_policy"),
]


def _links(navigation, role: Role, ods: str, current: str) -> list[dict]:
    return [
        {"text": text, "href": reverse(name, kwargs={"ods": ods}), "current": name == current}
        for text, name in navigation
        if allows(name, role)
    ]


def allows(view_name: str, role: Role) -> bool:
    rule = ACCESS.get(view_name)
    return isinstance(rule, frozenset) and role in rule


def _refused(request: HttpRequest):
    return render(request, "practices/refused.jinja", status=403)


def _sign_in_redirect(request: HttpRequest):
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('staff:sign_in')}?{query}")


def _second_factor_redirect(request: HttpRequest):
    from django_otp import user_has_device

    target = "staff:verify" if user_has_device(request.user) else "staff:enrol"
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse(target)}?{query}")


class StaffAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "staff" not in match.namespaces:
            return None
        rule = ACCESS.get(match.view_name)
        if rule is None:
            logger.error("%s is not in the staff access matrix: refused", match.view_name)
            return _refused(request)
        if rule is Stage.ANYONE:
            return None
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return _sign_in_redirect(request)
        if rule is Stage.FIRST_FACTOR:
            return None
        if not user.is_verified():
            return _second_factor_redirect(request)
        if rule is Stage.SIGNED_IN:
            return None
        from recordaccess.practices.selectors import membership_for

        membership = membership_for(user, view_kwargs.get("ods", ""))
        if membership is None:
            raise Http404("No such practice")
        request.practice = membership.practice
        request.membership = membership
        if Role(membership.role) not in rule:
            return _refused(request)
        return None


def layout_context(request: HttpRequest) -> dict:
    """What every page's layout needs: the CSP nonce, and for staff the practice and their navigation."""
    # str() makes the nonce now: django-csp's lazy nonce is falsy until used, and the layout tests it.
    nonce = getattr(request, "csp_nonce", None)
    context = {"cspNonce": str(nonce) if nonce is not None else ""}
    membership = getattr(request, "membership", None)
    if membership is not None:
        role = Role(membership.role)
        current = request.resolver_match.view_name if request.resolver_match else ""
        context.update(
            practice=membership.practice,
            membership=membership,
            staff_navigation=_links(NAVIGATION, role, membership.practice.ods_code, current),
            review_navigation=_links(REVIEW_NAVIGATION, role, membership.practice.ods_code, current),
        )
    return context
