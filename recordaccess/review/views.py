"""The waiting list: requests in priority order with the reasons for each place, and marking clinical need."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from recordaccess.audit.services import Actor, record_request
from recordaccess.intake.models import AccessRequest
from recordaccess.review import priority, services

FILTERS = {
    "": "Everyone waiting",
    "past_target": "Past the target",
    "flagged": "Flagged for enhanced review",
    "need": "Clinical need",
}


def waiting_list(request: HttpRequest, ods: str) -> HttpResponse:
    show = request.GET.get("show", "") if request.GET.get("show", "") in FILTERS else ""
    now = timezone.now()
    requests, weights = services.waiting_list(request.practice, show, now)
    # A deferred join: page through the ids alone (the index has them, so even the last page is quick), then
    # read the 25 rows on screen.
    page = Paginator(requests.values_list("id", flat=True), 25).get_page(request.GET.get("page"))
    found = AccessRequest.objects.in_bulk(list(page.object_list))
    shown = [found[pk] for pk in page.object_list if pk in found]
    first = (page.number - 1) * 25
    rows = [
        {
            "position": first + i + 1,
            "item": r,
            "reasons": priority.reasons(
                need=r.clinical_need,
                risk_flag=r.risk_flag,
                access_level=r.access_level,
                received_at=r.received_at,
                now=now,
                weights=weights,
            ),
            "past_target": priority.past_target(r.received_at, now, weights),
        }
        for i, r in enumerate(shown)
    ]
    record_request(
        request, "waiting.view", object_type="waiting_list", detail={"page": page.number, "show": show}
    )
    return render(
        request,
        "review/waiting_list.jinja",
        {
            "page": page,
            "rows": rows,
            "show": show,
            "filters": FILTERS,
            "weights": weights,
            "needs": priority.NEEDS,
        },
    )


@require_POST
def mark_need(request: HttpRequest, ods: str, request_id: int) -> HttpResponse:
    item = AccessRequest.objects.filter(practice=request.practice, pk=request_id).first()
    if item is None:
        raise Http404("No such request")
    try:
        services.mark_need(
            actor=Actor.from_request(request),
            request=item,
            need=request.POST.get("need", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, "Clinical need saved: the waiting list is in its new order.")
    except services.ReviewError as error:
        messages.error(request, str(error))
    return redirect("staff:request", ods=ods, request_id=item.pk)
