"""Reading practices and memberships, always from the staff member's side."""

from django.db.models import QuerySet
from django.utils import timezone

from recordaccess.core.errors import NotFound
from recordaccess.practices.models import (
    Dpia,
    InvitationStatus,
    Membership,
    Organisation,
    OrganisationMembership,
    Practice,
    StaffInvitation,
    normalise_ods_code,
)
from recordaccess.practices.roles import Role


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, practice__isnull=False).select_related("practice")


def membership_for(user, ods_code: str) -> Membership | None:
    """The user's membership of the practice with this ODS code, or None: the gate to every practice page."""
    return memberships_of(user).filter(practice__ods_code=normalise_ods_code(ods_code)).first()


def practice_by_ods(ods_code: str) -> Practice | None:
    return Practice.objects.filter(ods_code=normalise_ods_code(ods_code)).first()


def practice_staff(practice: Practice) -> QuerySet[Membership]:
    return Membership.objects.filter(practice=practice).select_related("user").order_by("user__username")


def administered_practice_ids(user_id: int | None) -> set[int]:
    if user_id is None:
        return set()
    return set(
        Membership.objects.filter(user_id=user_id, role=Role.ADMINISTRATOR).values_list(
            "practice_id", flat=True
        )
    )


def administers_every_practice_of(actor_id: int | None, user) -> bool:
    """Whether the actor may act on the whole account (its sign-in, its password): only if every practice the
    account belongs to is one they administer, so no practice's administrator reaches another's staff."""
    theirs = set(Membership.objects.filter(user=user).values_list("practice_id", flat=True))
    return theirs <= administered_practice_ids(actor_id)


def pending_invitations_for(user) -> QuerySet[StaffInvitation]:
    """The invitations the account holder may still accept or decline."""
    return (
        StaffInvitation.objects.filter(
            user=user, status=InvitationStatus.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("practice")
        .order_by("created_at")
    )


def invitation_for(user, invitation_id: int) -> StaffInvitation | None:
    """One of the account's own invitations, or None: nobody sees an invitation addressed to someone else."""
    return StaffInvitation.objects.select_related("practice").filter(pk=invitation_id, user=user).first()


def practice_invitations(practice: Practice) -> QuerySet[StaffInvitation]:
    """Invitations the practice sent that wait for an answer (their usernames only: nothing of other practices)."""
    return (
        StaffInvitation.objects.filter(
            practice=practice, status=InvitationStatus.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("user")
        .order_by("created_at")
    )


def staff_overview(practice: Practice, *, viewer_id: int | None = None) -> list[dict]:
    """Each member with their role, whether two-factor is set up, whether they are locked out, and whether the
    viewer may reset their sign-in (only if the viewer administers every practice the member belongs to)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    members = list(practice_staff(practice))
    user_ids = [m.user_id for m in members]
    enrolled = set(
        TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True)
    )
    usernames = [m.user.username for m in members]
    locked = set(
        AccessAttempt.objects.filter(
            username__in=usernames,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
        ).values_list("username", flat=True)
    )
    mine = administered_practice_ids(viewer_id)
    elsewhere = set(
        Membership.objects.filter(user_id__in=user_ids)
        .exclude(practice_id__in=mine)
        .values_list("user_id", flat=True)
    )
    return [
        {
            "membership": m,
            "user": m.user,
            "enrolled": m.user_id in enrolled,
            "locked": m.user.username in locked,
            "manageable": m.user_id not in elsewhere,
        }
        for m in members
    ]


def dpia_review_due(practice: Practice, user=None) -> int:
    """1 when the DPIA's review date has come (or passed), else 0: the overview's reminder to review it."""
    return Dpia.objects.filter(practice=practice, review_on__lte=timezone.localdate()).count()


def organisation_practices(organisation):
    """The practices an organisation holds: its own, and for an ICB those of its PCNs too, by name."""
    from recordaccess.practices.models import Organisation, Practice

    codes = [organisation.pk, *Organisation.objects.filter(parent=organisation).values_list("pk", flat=True)]
    return Practice.objects.filter(organisations__in=codes).distinct().order_by("name")


def organisation_by_code(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=normalise_ods_code(code)).first()


def organisations_of(user) -> QuerySet[OrganisationMembership]:
    """The organisations the account observes, by name: the practice chooser lists them too."""
    return OrganisationMembership.objects.filter(user=user).select_related("organisation")


def organisation_membership_for(user, code: str) -> OrganisationMembership | None:
    """The account's observership of the organisation with this code, or None: the gate to its pages."""
    return organisations_of(user).filter(organisation__code=normalise_ods_code(code)).first()


def organisation_practice(organisation, ods_code: str) -> Practice:
    """One practice of the organisation (an ICB's includes its PCNs'), or NotFound: a practice outside it and
    one that does not exist look the same."""
    found = organisation_practices(organisation).filter(ods_code=normalise_ods_code(ods_code)).first()
    if found is None:
        raise NotFound("No such practice in this organisation")
    return found


def organisation_pcns(organisation) -> QuerySet[Organisation]:
    """An ICB's PCNs (none for a PCN)."""
    return Organisation.objects.filter(parent=organisation).order_by("name")


def all_practices() -> QuerySet[Practice]:
    """Every practice, by id: for the background work that goes round them all (the dashboard's refresh)."""
    return Practice.objects.order_by("pk")
