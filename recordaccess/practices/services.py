"""Actions that change practices and staff: each one a transaction with its audit entry."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from recordaccess.audit.services import Actor, changes, record
from recordaccess.practices.defaults import SIGNPOSTING_RESOURCES
from recordaccess.practices.models import (
    Approach,
    Dpia,
    Membership,
    Practice,
    SignpostingResource,
    StaffUser,
    normalise_ods_code,
    validate_ods_code,
)
from recordaccess.practices.roles import Role

PRACTICE_FIELDS = ("name", "address", "phone", "website", "approach", "store_identity_documents")
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


class PracticeError(ValueError):
    """A request to change practices or staff that cannot be carried out, with a message for the user."""


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
        ods_code=ods_code, name=name.strip(), approach=approach, address=address, phone=phone, website=website
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
def update_practice(*, actor: Actor, practice: Practice, **values) -> Practice:
    return _update_audited(
        actor=actor,
        practice=practice,
        instance=practice,
        field_names=PRACTICE_FIELDS,
        values=values,
        action="practice.update",
    )


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


@transaction.atomic
def add_staff_member(
    *,
    actor: Actor,
    practice: Practice,
    username: str,
    role: str,
    password: str | None = None,
    full_name: str = "",
    email: str = "",
) -> StaffUser:
    """Add a member of staff to a practice, creating their account if it is new."""
    if role not in Role.values:
        raise PracticeError(f"Unknown role {role!r}: choose one of {', '.join(Role.values)}.")
    user = StaffUser.objects.filter(username=username).first()
    if user is None:
        if not password:
            raise PracticeError("A new account needs a password.")
        user = StaffUser(username=username, full_name=full_name, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise PracticeError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
    _, created = Membership.objects.update_or_create(user=user, practice=practice, defaults={"role": role})
    record(
        actor=actor,
        action="staff.add" if created else "staff.role_change",
        practice_ods=practice.ods_code,
        object_type="staff",
        object_id=user.pk,
        detail={"username": username, "role": role},
    )
    return user


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


@transaction.atomic
def change_role(*, actor: Actor, practice: Practice, user_id: int, role: str) -> Membership:
    if role not in Role.values:
        raise PracticeError(f"Unknown role {role!r}.")
    membership = _membership(practice, user_id)
    if role != membership.role:
        _keep_an_administrator(practice, membership)
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record(
            actor=actor,
            action="staff.role_change",
            practice_ods=practice.ods_code,
            object_type="staff",
            object_id=user_id,
            detail={"username": membership.user.username, "role": [old, role]},
        )
    return membership


@transaction.atomic
def remove_member(*, actor: Actor, practice: Practice, user_id: int) -> None:
    """Take someone out of the practice. Their account stays, for the audit trail and other practices."""
    membership = _membership(practice, user_id)
    if actor.id == user_id:
        raise PracticeError("You cannot remove yourself. Ask another administrator.")
    _keep_an_administrator(practice, membership)
    record(
        actor=actor,
        action="staff.remove",
        practice_ods=practice.ods_code,
        object_type="staff",
        object_id=user_id,
        detail={"username": membership.user.username, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def reset_two_factor(*, actor: Actor, practice: Practice, user_id: int) -> None:
    """For a lost phone: the member sets up an authenticator app again at their next sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    membership = _membership(practice, user_id)
    TOTPDevice.objects.filter(user=membership.user).delete()
    record(
        actor=actor,
        action="staff.two_factor_reset",
        practice_ods=practice.ods_code,
        object_type="staff",
        object_id=user_id,
        detail={"username": membership.user.username},
    )


@transaction.atomic
def unlock_account(*, actor: Actor, practice: Practice, user_id: int) -> None:
    from axes.utils import reset

    membership = _membership(practice, user_id)
    reset(username=membership.user.username)
    record(
        actor=actor,
        action="staff.unlock",
        practice_ods=practice.ods_code,
        object_type="staff",
        object_id=user_id,
        detail={"username": membership.user.username},
    )
