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
