"""Reading practices and memberships, always from the staff member's side."""

from django.db.models import QuerySet

from recordaccess.practices.models import Membership, Practice, normalise_ods_code


def memberships_of(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, practice__isnull=False).select_related("practice")


def membership_for(user, ods_code: str) -> Membership | None:
    """The user's membership of the practice with this ODS code, or None: the gate to every practice page."""
    return memberships_of(user).filter(practice__ods_code=normalise_ods_code(ods_code)).first()


def practice_by_ods(ods_code: str) -> Practice | None:
    return Practice.objects.filter(ods_code=normalise_ods_code(ods_code)).first()


def practice_staff(practice: Practice) -> QuerySet[Membership]:
    return Membership.objects.filter(practice=practice).select_related("user").order_by("user__username")


def staff_overview(practice: Practice) -> list[dict]:
    """Each member with their role, whether two-factor is set up and whether they are locked out."""
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
    return [
        {
            "membership": m,
            "user": m.user,
            "enrolled": m.user_id in enrolled,
            "locked": m.user.username in locked,
        }
        for m in members
    ]
