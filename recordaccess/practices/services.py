"""Actions that change practices and staff: each one a transaction with its audit entry."""

import datetime
import re

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from recordaccess.audit.services import Actor, changes, record
from recordaccess.core.errors import DomainError
from recordaccess.practices import notices
from recordaccess.practices.defaults import SIGNPOSTING_RESOURCES
from recordaccess.practices.models import (
    Approach,
    Dpia,
    InvitationStatus,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    OrganisationPractice,
    Practice,
    SignpostingResource,
    StaffInvitation,
    StaffUser,
    normalise_ods_code,
    validate_ods_code,
)
from recordaccess.practices.roles import Role
from recordaccess.practices.signals import approach_changed

PRACTICE_FIELDS = (
    "name",
    "address",
    "phone",
    "website",
    "email",
    "opening_hours",
    "approach",
    "approach_agreed_on",
    "go_live_on",
    "store_identity_documents",
    "privacy_notice",  # last, as on the details page, so its error summary follows the page's order
    "accessibility_statement",
)
DPIA_FIELDS = (
    "reference",
    "completed_on",
    "measures_approved_by",
    "residual_risks_approved_by",
    "dpo_advice",
    "dpo_advice_outcome",
    "dpo_overruled_reason",
    "residual_risk",
    "review_on",
    "url",
)


ORGANISATION_CODE = re.compile(r"^[A-Z0-9]{3,10}$")


class PracticeError(DomainError):
    """A request to change practices or staff that cannot be carried out, with a message for the user."""


class UnknownAccount(PracticeError):
    """No staff account has that username (operators' commands exit 2)."""


def _auditable(instance, fields) -> dict:
    return {
        key: str(value) if value is not None else None
        for key, value in model_to_dict(instance, fields).items()
    }


@transaction.atomic
def create_practice(
    *,
    actor: Actor,
    ods_code: str,
    name: str,
    approach: str = Approach.OPT_OUT,
    approach_agreed_on: datetime.date | None = None,
    go_live_on: datetime.date | None = None,
    address: str = "",
    phone: str = "",
    website: str = "",
) -> Practice:
    ods_code = normalise_ods_code(ods_code)
    try:
        validate_ods_code(ods_code)
    except ValidationError as error:
        raise PracticeError(error.messages[0]) from error
    if Practice.objects.filter(ods_code=ods_code).exists():
        raise PracticeError(f"A practice with ODS code {ods_code} already exists.")
    practice = Practice(
        ods_code=ods_code,
        name=name.strip(),
        approach=approach,
        approach_agreed_on=approach_agreed_on,
        go_live_on=go_live_on,
        address=address,
        phone=phone,
        website=website,
    )
    try:
        practice.full_clean()
    except ValidationError as error:
        raise PracticeError(" ".join(m for ms in error.message_dict.values() for m in ms)) from error
    practice.save()
    Dpia.objects.create(practice=practice)
    SignpostingResource.objects.bulk_create(
        SignpostingResource(practice=practice, title=title, url=url, position=i)
        for i, (title, url) in enumerate(SIGNPOSTING_RESOURCES)
    )
    record(
        actor=actor,
        action="practice.create",
        practice_ods=ods_code,
        object_type="practice",
        object_id=practice.pk,
        detail=_auditable(practice, PRACTICE_FIELDS),
    )
    return practice


def _update_audited(*, actor: Actor, practice: Practice, instance, field_names, values: dict, action: str):
    """Apply the given fields, validate, save, and audit what changed (old and new values)."""
    before = _auditable(instance, field_names)
    for key in field_names:
        if key in values:
            setattr(instance, key, values[key])
    instance.full_clean()
    instance.save()
    diff = changes(before, _auditable(instance, field_names))
    if diff:
        record(
            actor=actor,
            action=action,
            practice_ods=practice.ods_code,
            object_type=instance._meta.model_name,
            object_id=instance.pk,
            detail=diff,
        )
    return instance


@transaction.atomic
def update_practice(
    *, actor: Actor, practice: Practice, notices: list[str] | None = None, **values
) -> Practice:
    """A change of approach is announced to the apps that depend on it (templates are re-checked); what they
    say the administrator must know is added to `notices`."""
    before = Practice.objects.get(pk=practice.pk).approach
    practice = _update_audited(
        actor=actor,
        practice=practice,
        instance=practice,
        field_names=PRACTICE_FIELDS,
        values=values,
        action="practice.update",
    )
    if practice.approach != before:
        responses = approach_changed.send(
            sender=Practice, actor=actor, practice=practice, before=before, after=practice.approach
        )
        if notices is not None:
            notices.extend(notice for _, notice in responses if notice)
    return practice


@transaction.atomic
def update_dpia(*, actor: Actor, practice: Practice, **values) -> Dpia:
    dpia, _ = Dpia.objects.select_for_update().get_or_create(practice=practice)
    return _update_audited(
        actor=actor,
        practice=practice,
        instance=dpia,
        field_names=DPIA_FIELDS,
        values=values,
        action="dpia.update",
    )


@transaction.atomic
def add_resource(*, actor: Actor, practice: Practice, title: str, url: str) -> SignpostingResource:
    position = practice.resources.count()
    resource = SignpostingResource(practice=practice, title=title.strip(), url=url.strip(), position=position)
    resource.full_clean()
    resource.save()
    record(
        actor=actor,
        action="resource.add",
        practice_ods=practice.ods_code,
        object_type="resource",
        object_id=resource.pk,
        detail={"title": resource.title, "url": resource.url},
    )
    return resource


@transaction.atomic
def remove_resource(*, actor: Actor, practice: Practice, resource_id: int) -> None:
    resource = practice.resources.filter(pk=resource_id).first()
    if resource is None:
        raise PracticeError("That resource has already been removed.")
    record(
        actor=actor,
        action="resource.remove",
        practice_ods=practice.ods_code,
        object_type="resource",
        object_id=resource.pk,
        detail={"title": resource.title, "url": resource.url},
    )
    resource.delete()


# Staff accounts. An account may belong to several practices, so anything done to the account itself (its
# sign-in, its password) reaches every one of them: only someone who administers all of them, or an operator at
# the command line, may do it; and every action is written to the trail of every practice the account is in.


def authenticator_to_pair(user: StaffUser):
    """The authenticator app the user is pairing at their first sign-in, made on their first visit. Not audited
    here: nothing is paired until they prove a code from it, and that is."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def _practice_codes(user: StaffUser) -> set[str]:
    return set(Membership.objects.filter(user=user).values_list("practice__ods_code", flat=True))


def _record_for_account(
    *, actor: Actor, action: str, user: StaffUser, practice: Practice | None, detail: dict | None = None
) -> int:
    """One entry in the trail of each practice the account belongs to now, and of the practice where it
    happened. Returns the first entry's number, which names the event (and the email about it)."""
    codes = _practice_codes(user) | ({practice.ods_code} if practice else set())
    entry_detail = {"username": user.username, **({"practice": practice.ods_code} if practice else {})}
    entry_detail.update(detail or {})
    entries = [
        record(
            actor=actor,
            action=action,
            practice_ods=code,
            object_type="staff",
            object_id=user.pk,
            detail=entry_detail,
        )
        for code in sorted(codes or {""})
    ]
    return entries[0].seq


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise PracticeError(f"Unknown role {role!r}: choose one of {', '.join(Role.values)}.")


def _new_account(username: str, email: str, password: str | None, full_name: str, *, taken: str) -> StaffUser:
    """A new account with a unique username, an email address and a password that passes the validators, saved;
    `taken` is what to say when the username is someone's already (checked first, and again by the database
    when two are added at the same moment)."""
    if StaffUser.objects.filter(username__iexact=username).exists():
        raise PracticeError(taken)
    email = (email or "").strip()
    if not email:
        raise PracticeError(
            "A new account needs an email address: they are told there when their account changes."
        )
    try:
        validate_email(email)
    except ValidationError as error:
        raise PracticeError("Enter an email address in the correct format, like name@nhs.net") from error
    if not password:
        raise PracticeError("A new account needs a temporary password.")
    user = StaffUser(username=username, full_name=full_name.strip(), email=email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise PracticeError(" ".join(error.messages)) from error
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # the same username added at the same moment
        raise PracticeError(taken) from error
    return user


@transaction.atomic
def add_staff_member(
    *,
    actor: Actor,
    practice: Practice,
    username: str,
    role: str,
    password: str | None,
    email: str,
    full_name: str = "",
) -> StaffUser:
    """Create a new account for a member of this practice. An existing account is never taken over this way:
    its holder is invited instead, and joins only by accepting. No email yet: the account has no earlier holder
    to warn, and its username and temporary password are given in person."""
    _check_role(role)
    username = username.strip()
    user = _new_account(
        username,
        email,
        password,
        full_name,
        taken=f"There is already an account with the username {username}. If it is theirs (they work at "
        "another practice too), invite them instead: they join when they accept, signed in with their own "
        "authenticator app. Otherwise choose a different username.",
    )
    Membership.objects.create(user=user, practice=practice, role=role)
    _record_for_account(actor=actor, action="staff.add", user=user, practice=practice, detail={"role": role})
    return user


@transaction.atomic
def add_to_practice_by_operator(
    *, actor: Actor, practice: Practice, user: StaffUser, role: str
) -> Membership:
    """The operators' route for an existing account (`recordaccess add_staff`): they run the service and are
    trusted with every practice. The web never calls this; administrators invite."""
    _check_role(role)
    membership, created = Membership.objects.get_or_create(
        user=user, practice=practice, defaults={"role": role}
    )
    if not created:
        return change_role(actor=actor, practice=practice, user_id=user.pk, role=role)
    event = _record_for_account(
        actor=actor, action="staff.add", user=user, practice=practice, detail={"role": role}
    )
    notices.added_to_practice(
        user=user, practice=practice, actor=actor, role_label=Role(role).label, at=timezone.now(), event=event
    )
    return membership


def _membership(practice: Practice, user_id: int) -> Membership:
    membership = Membership.objects.select_related("user").filter(practice=practice, user_id=user_id).first()
    if membership is None:
        raise PracticeError("That person is not a member of this practice.")
    return membership


def _keep_an_administrator(practice: Practice, membership: Membership) -> None:
    others = Membership.objects.filter(practice=practice, role=Role.ADMINISTRATOR).exclude(pk=membership.pk)
    if membership.role == Role.ADMINISTRATOR and not others.exists():
        raise PracticeError(
            "A practice needs at least one administrator. Make someone else an administrator first."
        )


def check_role_change(*, practice: Practice, user_id: int, role: str) -> Membership:
    """Refuse a role change that cannot be made (an unknown role, or the last administrator's), before anyone is
    asked to confirm it; the member's membership as it is now, if it can."""
    if role not in Role.values:
        raise PracticeError(f"Unknown role {role!r}.")
    membership = _membership(practice, user_id)
    if role != membership.role:
        _keep_an_administrator(practice, membership)
    return membership


@transaction.atomic
def change_role(*, actor: Actor, practice: Practice, user_id: int, role: str) -> Membership:
    membership = check_role_change(practice=practice, user_id=user_id, role=role)
    if role != membership.role:
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        _record_for_account(
            actor=actor,
            action="staff.role_change",
            user=membership.user,
            practice=practice,
            detail={"role": [old, role]},
        )
    return membership


@transaction.atomic
def remove_member(*, actor: Actor, practice: Practice, user_id: int) -> None:
    """Take someone out of the practice. Their account stays, for the audit trail and other practices."""
    membership = _membership(practice, user_id)
    if actor.id == user_id:
        raise PracticeError("You cannot remove yourself. Ask another administrator.")
    _keep_an_administrator(practice, membership)
    _record_for_account(
        actor=actor,
        action="staff.remove",
        user=membership.user,
        practice=practice,
        detail={"role": membership.role},
    )
    membership.delete()


# Invitations: how an account that exists already joins another practice, with its holder's consent.


def _expire_invitations(**filters) -> None:
    StaffInvitation.objects.filter(
        status=InvitationStatus.PENDING, expires_at__lte=timezone.now(), **filters
    ).update(status=InvitationStatus.EXPIRED)


@transaction.atomic
def invite_staff_member(*, actor: Actor, practice: Practice, username: str, role: str) -> StaffInvitation:
    """Ask the holder of an existing account to join this practice. Nothing changes until they accept."""
    _check_role(role)
    username = username.strip()
    user = StaffUser.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise PracticeError(
            f"No account has the username {username}. Check it with them, or add them as a new member of staff."
        )
    if Membership.objects.filter(user=user, practice=practice).exists():
        raise PracticeError(
            f"{username} is already a member of this practice: change their role in the list."
        )
    _expire_invitations(practice=practice, user=user)
    now = timezone.now()
    try:
        with transaction.atomic():
            invitation = StaffInvitation.objects.create(
                practice=practice,
                user=user,
                role=role,
                invited_by_id=actor.id,
                invited_by_name=actor.name,
                created_at=now,
                expires_at=now + datetime.timedelta(days=settings.STAFF_INVITATION_DAYS),
            )
    except IntegrityError as error:
        raise PracticeError(
            f"{username} already has an invitation to this practice waiting for an answer. Withdraw it first "
            "to invite them with a different role."
        ) from error
    event = _record_for_account(
        actor=actor,
        action="staff.invite",
        user=user,
        practice=practice,
        detail={"role": role, "invitation": invitation.pk},
    )
    notices.invited(
        user=user,
        practice=practice,
        actor=actor,
        role_label=Role(role).label,
        at=now,
        expires_at=invitation.expires_at,
        event=event,
    )
    return invitation


def _open_invitation(*, user: StaffUser, invitation_id: int) -> StaffInvitation:
    invitation = (
        StaffInvitation.objects.select_for_update()
        .select_related("practice")
        .filter(pk=invitation_id, user=user)
        .first()
    )
    if invitation is None:
        raise PracticeError("There is no such invitation for your account.")
    if invitation.status != InvitationStatus.PENDING:
        raise PracticeError(
            f"This invitation cannot be answered now: {invitation.get_status_display().lower()}."
        )
    if invitation.expires_at <= timezone.now():
        raise PracticeError(
            f"This invitation expired. Ask {invitation.invited_by_name} at {invitation.practice.name} to invite "
            "you again."
        )
    return invitation


@transaction.atomic
def accept_invitation(*, actor: Actor, user: StaffUser, invitation_id: int) -> Membership:
    """The holder, signed in with their own second factor, joins the practice that invited them."""
    invitation = _open_invitation(user=user, invitation_id=invitation_id)
    membership, _ = Membership.objects.get_or_create(
        user=user, practice=invitation.practice, defaults={"role": invitation.role}
    )
    invitation.status, invitation.answered_at = InvitationStatus.ACCEPTED, timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    _record_for_account(
        actor=actor,
        action="staff.join",
        user=user,
        practice=invitation.practice,
        detail={"role": membership.role, "invitation": invitation.pk},
    )
    return membership


@transaction.atomic
def decline_invitation(*, actor: Actor, user: StaffUser, invitation_id: int) -> StaffInvitation:
    invitation = _open_invitation(user=user, invitation_id=invitation_id)
    invitation.status, invitation.answered_at = InvitationStatus.DECLINED, timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    _record_for_account(
        actor=actor,
        action="staff.invitation_declined",
        user=user,
        practice=invitation.practice,
        detail={"role": invitation.role, "invitation": invitation.pk},
    )
    return invitation


@transaction.atomic
def withdraw_invitation(*, actor: Actor, practice: Practice, invitation_id: int) -> StaffInvitation:
    invitation = (
        StaffInvitation.objects.select_for_update()
        .select_related("user")
        .filter(pk=invitation_id, practice=practice, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is None:
        raise PracticeError("That invitation was already answered, withdrawn or has expired.")
    invitation.status, invitation.answered_at = InvitationStatus.WITHDRAWN, timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    _record_for_account(
        actor=actor,
        action="staff.invitation_withdrawn",
        user=invitation.user,
        practice=practice,
        detail={"role": invitation.role, "invitation": invitation.pk},
    )
    return invitation


# The account itself: its second factor, its lockout, its password.

OPERATOR_COMMANDS = {
    "reset two-factor": "reset_two_factor",
    "unlock": "unlock_account",
    "change the password": "set_password",
}


def _account_in_your_care(*, actor: Actor, practice: Practice, user_id: int, doing: str) -> StaffUser:
    """The member, if the actor administers every practice the member belongs to; otherwise a refusal that says
    who can do it instead."""
    from recordaccess.practices.selectors import administers_every_practice_of

    user = _membership(practice, user_id).user
    if not administers_every_practice_of(actor.id, user):
        raise PracticeError(
            f"You cannot {doing} for {user.username}: their account also belongs to a practice you do not "
            "administer. Only someone who administers every practice they belong to can, or the service's "
            f"operators at the command line: recordaccess {OPERATOR_COMMANDS[doing]} {user.username}"
        )
    return user


def _account(username: str) -> StaffUser:
    user = StaffUser.objects.filter(username=username).first()
    if user is None:
        raise UnknownAccount(f"No staff account has the username {username!r}.")
    return user


def _reset_two_factor(*, actor: Actor, user: StaffUser, practice: Practice | None) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    event = _record_for_account(actor=actor, action="staff.two_factor_reset", user=user, practice=practice)
    return notices.two_factor_reset(user=user, practice=practice, actor=actor, at=timezone.now(), event=event)


def _unlock(*, actor: Actor, user: StaffUser, practice: Practice | None) -> None:
    from axes.utils import reset

    reset(username=user.username)
    _record_for_account(actor=actor, action="staff.unlock", user=user, practice=practice)


def _set_password(*, actor: Actor, user: StaffUser, practice: Practice | None, password: str) -> bool:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise PracticeError(" ".join(error.messages)) from error
    user.set_password(password)
    user.save(update_fields=["password"])
    event = _record_for_account(actor=actor, action="staff.password_set", user=user, practice=practice)
    return notices.password_changed(user=user, practice=practice, actor=actor, at=timezone.now(), event=event)


@transaction.atomic
def reset_two_factor(*, actor: Actor, practice: Practice, user_id: int) -> bool:
    """For a lost phone: the member sets up an authenticator app again at their next sign-in. True when they
    were emailed about it."""
    user = _account_in_your_care(actor=actor, practice=practice, user_id=user_id, doing="reset two-factor")
    return _reset_two_factor(actor=actor, user=user, practice=practice)


@transaction.atomic
def unlock_account(*, actor: Actor, practice: Practice, user_id: int) -> None:
    user = _account_in_your_care(actor=actor, practice=practice, user_id=user_id, doing="unlock")
    _unlock(actor=actor, user=user, practice=practice)


@transaction.atomic
def set_password(*, actor: Actor, practice: Practice, user_id: int, password: str) -> bool:
    """A temporary password for a member who forgot theirs, to be told to them in person. True when they were
    emailed about it."""
    user = _account_in_your_care(actor=actor, practice=practice, user_id=user_id, doing="change the password")
    return _set_password(actor=actor, user=user, practice=practice, password=password)


@transaction.atomic
def reset_two_factor_by_operator(*, actor: Actor, username: str) -> bool:
    """`recordaccess reset_two_factor`: for an account no one administrator may reset. True when emailed."""
    return _reset_two_factor(actor=actor, user=_account(username), practice=None)


@transaction.atomic
def unlock_account_by_operator(*, actor: Actor, username: str) -> None:
    _unlock(actor=actor, user=_account(username), practice=None)


@transaction.atomic
def set_password_by_operator(*, actor: Actor, username: str, password: str) -> bool:
    return _set_password(actor=actor, user=_account(username), practice=None, password=password)


# Organisations (PCNs and ICBs) and their observers. Operators' actions (`recordaccess add_organisation`,
# `organisation_practices`, `add_organisation_observer`): each change is audited in the trail of every practice
# whose figures it concerns, so a practice's administrators see who can see its figures; the organisation's own
# creation, which concerns no practice yet, under no practice.


def _organisation_entry(
    *, actor: Actor, action: str, organisation: Organisation, codes, detail: dict
) -> None:
    for code in sorted(set(codes) or {""}):
        record(
            actor=actor,
            action=action,
            practice_ods=code,
            object_type="organisation",
            object_id=organisation.pk,
            detail={"organisation": organisation.code, **detail},
        )


def _practice_codes_of(organisation: Organisation) -> list[str]:
    from recordaccess.practices.selectors import organisation_practices

    return list(organisation_practices(organisation).values_list("ods_code", flat=True))


@transaction.atomic
def create_organisation(
    *, actor: Actor, code: str, name: str, kind: str, parent_code: str = ""
) -> Organisation:
    """A PCN or an ICB. A PCN may name its ICB (`parent_code`), whose observers then see its practices too."""
    code = normalise_ods_code(code)
    if not ORGANISATION_CODE.match(code):
        raise PracticeError(
            "Enter the organisation's ODS code: 3 to 10 letters and digits, like U12345 for a PCN or QWE for an ICB."
        )
    if not name.strip():
        raise PracticeError("Enter the organisation's name.")
    if kind not in OrganisationKind.values:
        raise PracticeError(f"Unknown kind {kind!r}: choose one of {', '.join(OrganisationKind.values)}.")
    if Organisation.objects.filter(code=code).exists():
        raise PracticeError(f"An organisation with ODS code {code} already exists.")
    parent = None
    if parent_code:
        if kind != OrganisationKind.PCN:
            raise PracticeError("Only a PCN has a parent (its ICB); an ICB has none.")
        parent = Organisation.objects.filter(code=normalise_ods_code(parent_code)).first()
        if parent is None:
            raise PracticeError(
                f"No organisation with ODS code {normalise_ods_code(parent_code)}: add the ICB first."
            )
        if parent.kind != OrganisationKind.ICB:
            raise PracticeError(f"{parent.code} is a PCN: a PCN's parent must be an ICB.")
    organisation = Organisation.objects.create(code=code, name=name.strip(), kind=kind, parent=parent)
    _organisation_entry(
        actor=actor,
        action="organisation.create",
        organisation=organisation,
        codes=[],
        detail={"name": organisation.name, "kind": kind, "parent": parent.code if parent else ""},
    )
    return organisation


@transaction.atomic
def change_organisation_practices(
    *, actor: Actor, organisation: Organisation, add=(), remove=()
) -> tuple[list[str], list[str]]:
    """Add and remove practices by ODS code. Returns (added, removed), leaving out those already so. Every code
    must name a practice of this deployment, else nothing changes."""
    wanted = {normalise_ods_code(code) for code in add}
    unwanted = {normalise_ods_code(code) for code in remove}
    if wanted & unwanted:
        raise PracticeError(f"{', '.join(sorted(wanted & unwanted))}: both added and removed; choose one.")
    found = {p.ods_code: p for p in Practice.objects.filter(ods_code__in=wanted | unwanted)}
    unknown = sorted((wanted | unwanted) - found.keys())
    if unknown:
        raise PracticeError(
            f"No practice with ODS code {', '.join(unknown)}: add it with add_practice first."
        )
    held = set(
        OrganisationPractice.objects.filter(organisation=organisation).values_list(
            "practice__ods_code", flat=True
        )
    )
    added = sorted(wanted - held)
    removed = sorted(unwanted & held)
    OrganisationPractice.objects.bulk_create(
        OrganisationPractice(organisation=organisation, practice=found[code]) for code in added
    )
    OrganisationPractice.objects.filter(organisation=organisation, practice__ods_code__in=removed).delete()
    for action, codes in (("organisation.practice_add", added), ("organisation.practice_remove", removed)):
        if codes:
            _organisation_entry(
                actor=actor,
                action=action,
                organisation=organisation,
                codes=codes,
                detail={"name": organisation.name},
            )
    return added, removed


@transaction.atomic
def add_organisation_observer(*, actor: Actor, organisation: Organisation, user: StaffUser) -> bool:
    """Make an account an observer of the organisation: its practices' figures side by side, never a patient, and
    none of the practices' own pages. False when it already was."""
    _, created = OrganisationMembership.objects.get_or_create(user=user, organisation=organisation)
    if created:
        _organisation_entry(
            actor=actor,
            action="organisation.observer_add",
            organisation=organisation,
            codes=_practice_codes_of(organisation),
            detail={"username": user.username},
        )
    return created


@transaction.atomic
def add_organisation_observer_account(
    *,
    actor: Actor,
    organisation: Organisation,
    username: str,
    password: str | None,
    email: str,
    full_name: str = "",
) -> StaffUser:
    """A new account that observes the organisation and belongs to no practice (the rules of a new practice
    account: a unique username, an email address, a password that passes the validators)."""
    username = username.strip()
    user = _new_account(
        username,
        email,
        password,
        full_name,
        taken=f"There is already an account with the username {username}.",
    )
    add_organisation_observer(actor=actor, organisation=organisation, user=user)
    return user
