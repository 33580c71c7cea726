"""Reading access requests: always within one practice."""

import datetime

from django.db.models import Count, Min, QuerySet
from django.db.models.functions import TruncDate

from recordaccess.core.codes import normalise
from recordaccess.core.scoping import one_for_practice
from recordaccess.intake.models import AccessRequest, IdentityCheck, MatchStatus, RequestStatus, Wish


def practice_requests(practice) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.filter(practice=practice)


def request_for_practice(practice, request_id: int) -> AccessRequest:
    """One of the practice's requests, with its patient, or NotFound."""
    return one_for_practice(AccessRequest.objects.select_related("patient", "practice"), practice, request_id)


def request_or_none(practice, request_id: int) -> AccessRequest | None:
    """For a patient coming back from NHS login: their request may have gone since, which is no error."""
    return practice_requests(practice).filter(pk=request_id).first()


def request_by_reference(practice, reference: str) -> AccessRequest | None:
    return practice_requests(practice).filter(reference=normalise(reference)).first()


def requests_by_id(practice, ids: list[int]) -> dict[int, AccessRequest]:
    """The rows of one page of a list, read after paging through their ids alone."""
    return practice_requests(practice).in_bulk(ids)


def identity_document(item: AccessRequest, check_id: int) -> IdentityCheck:
    """A kept copy of identity documents of this request , or NotFound."""
    documents = IdentityCheck.objects.filter(request=item).exclude(document="")
    return one_for_practice(documents, item.practice, check_id, through="request__practice")


def request_list(practice, show: str) -> tuple[dict[str, int], int, QuerySet[AccessRequest]]:
    """The count in each state, how many need matching by staff, and the requests chosen by `show`."""
    everything = practice_requests(practice)
    counts = dict(everything.values_list("status").annotate(n=Count("pk")))
    needs_matching = requests_to_match(practice)
    chosen = everything
    if show in RequestStatus.values:
        chosen = chosen.filter(status=show)
    elif show == "needs_matching":
        chosen = chosen.filter(
            status=RequestStatus.RECEIVED, match_status=MatchStatus.NEEDS_STAFF, wish__in=TO_MATCH
        )
    return counts, needs_matching, chosen.select_related("patient")


def audit_names(sender, *, practice, wanted: dict, **kwargs) -> dict:
    """Each request named by its reference on the audit trail's page (`practices.signals.audit_names`), only of
    this practice."""
    ids = [int(i) for i in wanted.get("access_request", ()) if str(i).isdigit()]
    return {
        ("access_request", str(r.pk)): r.reference_display
        for r in AccessRequest.objects.filter(practice=practice, pk__in=ids).only("pk", "reference")
    }


# A question is answered in the question inbox without matching; a "no" is matched to be recorded as a decline.
TO_MATCH = (Wish.WANTS_ACCESS, Wish.NO_ACCESS)


def requests_to_match(practice, user=None) -> int:
    """Requests the register could not match by itself: a person must find the patient. A "no thank you" waits
    here until matched, then becomes a recorded decline; it never waits on the waiting list."""
    return AccessRequest.objects.filter(
        practice=practice,
        status=RequestStatus.RECEIVED,
        match_status=MatchStatus.NEEDS_STAFF,
        wish__in=TO_MATCH,
    ).count()


def identities_to_check(practice, user=None) -> int:
    """Requests for access matched to a patient whose requester's identity nobody has verified yet."""
    return AccessRequest.objects.filter(
        practice=practice, status=RequestStatus.MATCHED, wish=Wish.WANTS_ACCESS
    ).count()


# --- The dashboard's figures (reports/refresh.py): days and counts, never who asked. ---


def requests_for_access_days(practice) -> list[tuple[int, datetime.date, datetime.date | None, bool]]:
    """Each request for access (not a question or a "no") as (id, day received, day identity was first verified,
    on the waiting list now). Internal ids only, to join with review's days."""
    return list(
        AccessRequest.objects.filter(practice=practice, wish=Wish.WANTS_ACCESS)
        .annotate(received=TruncDate("received_at"), verified=Min(TruncDate("identity_checks__verified_at")))
        .values_list("pk", "received", "verified", "on_list")
        .order_by()
    )


def last_changed_days(practice, ids: list[int]) -> dict[int, datetime.date]:
    """The day each of these requests last changed (for one that left the waiting list neither claimed nor
    decided)."""
    return dict(
        AccessRequest.objects.filter(practice=practice, pk__in=ids)
        .annotate(day=TruncDate("updated_at"))
        .values_list("pk", "day")
    )
