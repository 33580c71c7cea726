"""Staff pages for the register. Every page that shows a patient writes an audit entry."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from recordaccess.audit.services import record_request
from recordaccess.patients import selectors
from recordaccess.patients.models import COMMUNICATION_KINDS, RISK_KINDS


def patient_search(request: HttpRequest, ods: str) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = None
    if query:
        results = selectors.search_patients(request.practice, query)
        record_request(
            request,
            "patient.search",
            object_type="patient",
            detail={"query": query, "results": len(results), "patient_ids": [p.pk for p in results]},
        )
    return render(request, "patients/search.jinja", {"query": query, "results": results})


def patient_detail(request: HttpRequest, ods: str, patient_id: int) -> HttpResponse:
    patient = selectors.patient_in_practice(request.practice, patient_id)
    if patient is None:
        raise Http404("No such patient")
    record_request(
        request, "patient.view", object_type="patient", object_id=patient.pk, patient_id=patient.pk
    )
    flags = list(patient.flags.all())
    return render(
        request,
        "patients/detail.jinja",
        {
            "patient": patient,
            "risk_flags": [f for f in flags if f.kind in RISK_KINDS],
            "communication_flags": [f for f in flags if f.kind in COMMUNICATION_KINDS],
            "other_flags": [f for f in flags if f.kind not in RISK_KINDS | COMMUNICATION_KINDS],
        },
    )
