"""The audit trail's page for a practice's administrators. The trail is the audit app's, at the bottom; its page
sits here, above it, because the page names the practice's staff and is declared with practices' roles."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from recordaccess.audit import selectors
from recordaccess.audit.services import record_request
from recordaccess.practices.audit_forms import AuditSearchForm
from recordaccess.practices.audit_words import name_entries
from recordaccess.practices.selectors import practice_staff


def audit_search(request: HttpRequest, ods: str) -> HttpResponse:
    practice = request.practice
    staff = [(str(m.user_id), m.user.display_name) for m in practice_staff(practice)]
    form = AuditSearchForm(request.GET or None, staff_choices=staff)
    page = None
    patient_unknown = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        patient_id = None
        if data["nhs_number"]:
            patient = practice.patients.filter(nhs_number=data["nhs_number"]).only("pk").first()
            patient_unknown = patient is None
            patient_id = patient.pk if patient else -1
        entries = selectors.practice_trail(
            practice,
            patient_id=patient_id,
            actor_id=int(data["staff"]) if data["staff"] else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        record_request(
            request, "audit.search", object_type="audit", detail={k: str(v) for k, v in data.items() if v}
        )
    elif not form.is_bound:
        page = Paginator(selectors.practice_trail(practice), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "practices/audit_search.jinja",
        {
            "form": form,
            "page": page,
            "rows": name_entries(practice, page) if page else [],
            "patient_unknown": patient_unknown,
            "query": query.urlencode(),
        },
    )
