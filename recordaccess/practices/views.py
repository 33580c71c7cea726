"""Staff pages for signing in and for the practice's own settings. Thin: parse, call, render."""

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from recordaccess.audit.services import Actor, record, record_request
from recordaccess.core.errors import refusals_go_to, show_on_form
from recordaccess.core.network import client_address
from recordaccess.practices import selectors, services
from recordaccess.practices.access import pages_lost
from recordaccess.practices.forms import (
    AddStaffForm,
    DpiaForm,
    InviteStaffForm,
    PasswordForm,
    PracticeForm,
    ResourceForm,
    RoleForm,
    SignInForm,
    TokenForm,
)
from recordaccess.practices.home import work_for
from recordaccess.practices.readiness import missing_before_patients
from recordaccess.practices.roles import Role


def _next_url(request: HttpRequest, default: str = "staff:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: anything else would be taken for the name of a view, and not found.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            record(
                actor=Actor(id=None, name="anonymous", ip_address=client_address(request) or None),
                action="auth.password_failed",
                object_type="staff",
                detail={"username": form.cleaned_data["username"]},
            )
            form.add_error(None, "Enter a correct username and password")
        else:
            login(request, user)
            record_request(request, "auth.password_accepted", object_type="staff", object_id=user.pk)
            step = "staff:verify" if user_has_device(user) else "staff:enrol"
            return redirect(f"{reverse(step)}?next={_next_url(request, reverse('staff:home'))}")
    return render(request, "practices/sign_in.jinja", {"form": form, "next": request.GET.get("next", "")})


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    return render(request, "practices/locked_out.jinja", status=403)


def _second_factor_passed(request: HttpRequest, device) -> None:
    """The session is fully signed in from now: it gets a new key, as at the password (Django's login does that
    one), so a key known before this step (read off a shared screen, planted by a link) opens nothing (H118)."""
    otp_login(request, device)
    request.session.cycle_key()


def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: pair an authenticator app by QR code (or typed key), then prove it with a code."""
    if user_has_device(request.user):
        return redirect("staff:verify")
    device = services.authenticator_to_pair(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _second_factor_passed(request, device)
            record_request(
                request, "auth.two_factor_enrolled", object_type="staff", object_id=request.user.pk
            )
            return redirect(_next_url(request))
        form.add_error(
            "token",
            "That code did not match. Check the time on your phone is right, then try the newest code",
        )
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR code for your authenticator app"
    )
    secret = base64.b32encode(device.bin_key).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "practices/enrol.jinja", {"form": form, "qr_svg": qr, "secret": grouped})


def verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect("staff:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            _second_factor_passed(request, device)
            record_request(request, "auth.signed_in", object_type="staff", object_id=request.user.pk)
            return redirect(_next_url(request))
        record_request(request, "auth.two_factor_failed", object_type="staff", object_id=request.user.pk)
        form.add_error("token", "That code did not match. Enter the newest code your authenticator app shows")
    return render(request, "practices/verify.jinja", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record_request(request, "auth.signed_out", object_type="staff", object_id=request.user.pk)
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect("staff:sign_in")


def home(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_of(request.user))
    organisations = [observer.organisation for observer in selectors.organisations_of(request.user)]
    invitations = list(selectors.pending_invitations_for(request.user))
    if not invitations and len(memberships) + len(organisations) == 1:
        if memberships:
            return redirect("staff:dashboard", ods=memberships[0].practice.ods_code)
        return redirect("staff:organisation", code=organisations[0].code)
    return render(
        request,
        "practices/home.jinja",
        {"memberships": memberships, "organisations": organisations, "invitations": invitations},
    )


INVITATION_ANSWERS = {
    "accept": (services.accept_invitation, "You have joined {practice}."),
    "decline": (services.decline_invitation, "You declined the invitation from {practice}."),
}


@refusals_go_to("staff:home")
@require_POST
def invitation_answer(request: HttpRequest, invitation_id: int, answer: str) -> HttpResponse:
    """The holder's own answer, signed in with their own second factor; another account's invitation is not
    found."""
    invitation = selectors.invitation_for(request.user, invitation_id)
    if answer not in INVITATION_ANSWERS or invitation is None:
        raise Http404("No such invitation")
    service, done = INVITATION_ANSWERS[answer]
    service(actor=Actor.from_request(request), user=request.user, invitation_id=invitation.pk)
    messages.success(request, done.format(practice=invitation.practice.name))
    return redirect("staff:home")


def dashboard(request: HttpRequest, ods: str) -> HttpResponse:
    return render(
        request,
        "practices/dashboard.jinja",
        {
            "dpia": getattr(request.practice, "dpia", None),
            "missing": missing_before_patients(request.practice),
            "invitations": selectors.pending_invitations_for(request.user).count(),
            "work": work_for(request.practice, request.user, Role(request.membership.role)),
        },
    )


def practice(request: HttpRequest, ods: str) -> HttpResponse:
    return render(
        request,
        "practices/practice.jinja",
        {"dpia": getattr(request.practice, "dpia", None), "resources": request.practice.resources.all()},
    )


def practice_edit(request: HttpRequest, ods: str) -> HttpResponse:
    form = PracticeForm(request.POST or None, instance=selectors.practice_by_ods(ods))
    if request.method == "POST" and form.is_valid():
        notices: list[str] = []
        services.update_practice(
            actor=Actor.from_request(request), practice=request.practice, notices=notices, **form.cleaned_data
        )
        messages.success(request, "Practice details saved.")
        for notice in notices:
            messages.warning(request, notice)
        return redirect("staff:practice", ods=ods)
    return render(request, "practices/practice_edit.jinja", {"form": form})


def dpia_edit(request: HttpRequest, ods: str) -> HttpResponse:
    dpia = getattr(request.practice, "dpia", None)
    form = DpiaForm(request.POST or None, instance=dpia)
    if request.method == "POST" and form.is_valid():
        services.update_dpia(
            actor=Actor.from_request(request), practice=request.practice, **form.cleaned_data
        )
        messages.success(request, "DPIA saved.")
        return redirect("staff:practice", ods=ods)
    return render(request, "practices/dpia_edit.jinja", {"form": form})


def resources(request: HttpRequest, ods: str) -> HttpResponse:
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_resource(
            actor=Actor.from_request(request), practice=request.practice, **form.cleaned_data
        )
        messages.success(request, f"Added “{form.cleaned_data['title']}”.")
        return redirect("staff:resources", ods=ods)
    return render(
        request, "practices/resources.jinja", {"form": form, "resources": request.practice.resources.all()}
    )


@refusals_go_to("staff:resources")
@require_POST
def resource_delete(request: HttpRequest, ods: str, resource_id: int) -> HttpResponse:
    services.remove_resource(
        actor=Actor.from_request(request), practice=request.practice, resource_id=resource_id
    )
    messages.success(request, "Resource removed.")
    return redirect("staff:resources", ods=ods)


def _field_named_in(error: Exception, fields: tuple[str, ...]) -> str | None:
    """The form field a service's refusal is about, so the message shows beside it."""
    text = str(error).lower()
    return next((name for name in fields if name in text), None)


def _staff_page(request: HttpRequest, form=None, invite_form=None, action_form=None) -> HttpResponse:
    """The staff page; a form given here comes back with its errors, for the error summary, and keeps its values.
    `action_form` is one member's row (a role or a password) whose field ids name that member."""
    return render(
        request,
        "practices/staff.jinja",
        {
            "action_form": action_form,
            "form": form if form is not None else AddStaffForm(),
            "invite_form": invite_form if invite_form is not None else InviteStaffForm(),
            "members": selectors.staff_overview(request.practice, viewer_id=request.user.pk),
            "invitations": selectors.practice_invitations(request.practice),
            "roles": RoleForm.base_fields["role"].choices,
            "invitation_days": settings.STAFF_INVITATION_DAYS,
        },
    )


def staff_list(request: HttpRequest, ods: str) -> HttpResponse:
    """The practice's staff; the form here creates a new account (an existing one is invited instead)."""
    form = AddStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_staff_member(
                actor=Actor.from_request(request),
                practice=request.practice,
                username=data["username"],
                role=data["role"],
                password=data["password"],
                full_name=data["full_name"],
                email=data["email"],
            )
            messages.success(
                request,
                f"{data['full_name']} can now sign in as {data['username']}. Tell them their username and "
                "temporary password in person.",
            )
            return redirect("staff:staff", ods=ods)
        except services.PracticeError as error:
            show_on_form(form, error, field=_field_named_in(error, ("password", "username", "email")))
    return _staff_page(request, form=form)


@require_POST
def staff_invite(request: HttpRequest, ods: str) -> HttpResponse:
    invite_form = InviteStaffForm(request.POST)
    if invite_form.is_valid():
        data = invite_form.cleaned_data
        try:
            services.invite_staff_member(
                actor=Actor.from_request(request),
                practice=request.practice,
                username=data["username"],
                role=data["role"],
            )
            messages.success(
                request,
                f"Invitation sent to {data['username']}. They join when they accept it, the next time they sign "
                "in; until then it is listed under Invitations waiting for an answer.",
            )
            return redirect("staff:staff", ods=ods)
        except services.PracticeError as error:
            show_on_form(invite_form, error, field="username")
    return _staff_page(request, invite_form=invite_form)


@refusals_go_to("staff:staff")
@require_POST
def invitation_withdraw(request: HttpRequest, ods: str, invitation_id: int) -> HttpResponse:
    invitation = services.withdraw_invitation(
        actor=Actor.from_request(request), practice=request.practice, invitation_id=invitation_id
    )
    messages.success(request, f"Invitation to {invitation.user.username} withdrawn.")
    return redirect("staff:staff", ods=ods)


STAFF_ACTIONS = {
    "role": ("change_role", "Role changed."),
    "remove": ("remove_member", "Removed from the practice."),
    "reset-two-factor": (
        "reset_two_factor",
        "Two-factor reset: they will set up their app at their next sign-in.",
    ),
    "unlock": ("unlock_account", "Account unlocked."),
    "password": (
        "set_password",
        "New temporary password set: tell it to them in person.",
    ),
}


def _gives_up_administration(request: HttpRequest, user_id: int, role: str) -> bool:
    return user_id == request.user.pk and request.membership.role == Role.ADMINISTRATOR != role


def _confirm_own_role(request: HttpRequest, user_id: int, role: str) -> HttpResponse:
    """An administrator changing their own role is asked first, on a page of its own, what they will lose: the
    change takes effect at once and only another administrator can undo it. The last administrator is refused
    here, before being asked."""
    services.check_role_change(practice=request.practice, user_id=user_id, role=role)
    return render(
        request,
        "practices/role_confirm.jinja",
        {
            "user_id": user_id,
            "role": role,
            "role_label": Role(role).label,
            "lost": pages_lost(Role.ADMINISTRATOR, Role(role)),
        },
    )


@refusals_go_to("staff:staff")
@require_POST
def staff_action(request: HttpRequest, ods: str, user_id: int, action: str) -> HttpResponse:
    if action not in STAFF_ACTIONS:
        raise Http404("No such action")
    service_name, done = STAFF_ACTIONS[action]
    extra = {}
    if action == "role":
        form = RoleForm(request.POST, auto_id=f"member-{user_id}-%s")
        if not form.is_valid():
            return _staff_page(request, action_form=form)
        extra["role"] = form.cleaned_data["role"]
        if (
            _gives_up_administration(request, user_id, extra["role"])
            and request.POST.get("confirmed") != "yes"
        ):
            return _confirm_own_role(request, user_id, extra["role"])
    if action == "password":
        form = PasswordForm(request.POST, auto_id=f"%s-{user_id}")
        if not form.is_valid():
            return _staff_page(request, action_form=form)
        extra["password"] = form.cleaned_data["password"]
    emailed = getattr(services, service_name)(
        actor=Actor.from_request(request), practice=request.practice, user_id=user_id, **extra
    )
    messages.success(request, f"{done} We have emailed them to say so." if emailed is True else done)
    return redirect("staff:staff", ods=ods)
