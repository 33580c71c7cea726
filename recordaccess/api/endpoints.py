"""The API's operations: thin, as views are. Each finds the token's practice or organisation (else 404), checks
the scope (else 403) and calls the owning app's selector or service."""

import dataclasses
import datetime

from django.http import HttpRequest
from ninja import Header, NinjaAPI, Path, Query, Router, Schema, Status

from recordaccess.api import errors, intake, selectors
from recordaccess.api.auth import TokenAuth, organisation_for, practice_for
from recordaccess.api.errors import ApiError, ErrorOut
from recordaccess.api.models import Scope
from recordaccess.api.schemas import (
    AccessRequestCreated,
    AccessRequestIn,
    CampaignOut,
    CampaignsOut,
    CodesOut,
    CodingConfirmOut,
    CodingExportOut,
    FiguresOut,
    RequestStatusOut,
    RollupOut,
)
from recordaccess.practices.selectors import organisation_practices
from recordaccess.reports import figures as report_figures
from recordaccess.review import coding

ODS = r"^[A-Za-z0-9]{3,10}$"
REFERENCE = r"^[A-Za-z0-9-]{4,20}$"
MAX_PERIOD_DAYS = 366
# Every operation may answer these, in the one error shape.
ERRORS = dict.fromkeys((400, 401, 403, 404, 422, 429, 500), ErrorOut)

api = NinjaAPI(
    title="recordaccess API",
    version="1",
    description=(
        "For online consultation tools and organisations. Send `Authorization: Bearer <token>`; a token is "
        "for one practice or one organisation, with scopes. Every error has one shape: "
        '`{"error": {"status", "code", "message", "fields": [{"field", "message"}]}}`.'
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs_url=None,
)
errors.install(api)

practices = Router(tags=["practices"])
organisations = Router(tags=["organisations"])


class PeriodQuery(Schema):
    start: datetime.date
    end: datetime.date


def _period(query: PeriodQuery) -> report_figures.Period:
    problems = []
    if query.end < query.start:
        problems.append(("end", "End must be the same as or after start"))
    elif (query.end - query.start).days >= MAX_PERIOD_DAYS:
        problems.append(("end", f"A period can be at most {MAX_PERIOD_DAYS} days"))
    if problems:
        raise ApiError(422, fields=problems)
    return report_figures.Period(query.start, query.end)


def _figures(figures) -> dict:
    return dataclasses.asdict(figures)


@practices.post(
    "/{ods}/requests",
    response={201: AccessRequestCreated, 409: ErrorOut, **ERRORS},
    summary="Send an access request, as the practice's online form would",
    description=(
        "Checked, matched and acknowledged exactly as the online request form. Which fields are needed follows "
        "the form's questions (a name, `date_of_birth` as YYYY-MM-DD, address and postcode always; a mobile for "
        "a text; the declarations to ask for access): each one missing or wrong is a 422 naming it. "
        "Send an `Idempotency-Key`: the "
        "same key with the same body answers as the first time and never makes a second request; the same key "
        "with a different body is a 409. Scope: `requests:write`."
    ),
)
def create_request(
    request: HttpRequest,
    payload: AccessRequestIn,
    ods: str = Path(..., pattern=ODS),
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:~-]{1,100}$"
    ),
):
    practice = practice_for(request, ods, Scope.REQUESTS_WRITE)
    status, answer, _ = intake.create(
        token=request.auth, practice=practice, key=idempotency_key, body=payload.model_dump()
    )
    return Status(status, answer)


@practices.get(
    "/{ods}/requests/{reference}",
    response={200: RequestStatusOut, **ERRORS},
    summary="A request's status",
    description="Where the request has got to; nothing about the person or their health. Scope: `requests:read`.",
)
def request_status(
    request: HttpRequest, ods: str = Path(..., pattern=ODS), reference: str = Path(..., pattern=REFERENCE)
):
    practice = practice_for(request, ods, Scope.REQUESTS_READ)
    found = selectors.request_status(practice, reference)
    if found is None:
        raise ApiError(404)
    return {
        "reference": found.reference_display,
        "status": found.status,
        "status_label": found.get_status_display(),
        "received_at": found.received_at,
        "route": found.route,
    }


def _code(entry) -> dict:
    return {
        "id": entry.pk,
        "nhs_number": entry.nhs_number,
        "code": entry.code,
        "term": entry.term,
        "date": entry.date,
        "export_id": entry.export_id,
    }


@practices.get(
    "/{ods}/codes",
    response={200: CodesOut, **ERRORS},
    summary="The coding worklist: codes to enter in the clinical system",
    description="Codes not yet confirmed as entered, oldest first. Scope: `codes:read`.",
)
def codes(request: HttpRequest, ods: str = Path(..., pattern=ODS)):
    practice = practice_for(request, ods, Scope.CODES_READ)
    return {"codes": [_code(e) for e in selectors.coding_worklist(practice)]}


@practices.post(
    "/{ods}/codes/exports",
    response={201: CodingExportOut, **ERRORS},
    summary="Take the codes to enter now, as one export",
    description=(
        "As the coding page's download: every code not yet entered, recorded as one export to confirm once "
        "entered. A code decided afterwards is never in it. Scope: `codes:read`."
    ),
)
def codes_export(request: HttpRequest, ods: str = Path(..., pattern=ODS)):
    practice = practice_for(request, ods, Scope.CODES_READ)
    batch, _csv = coding.export(actor=intake.actor_for(request.auth), practice=practice)
    return Status(201, {"export_id": batch.pk, "codes": [_code(e) for e in selectors.export_entries(batch)]})


@practices.post(
    "/{ods}/codes/exports/{export_id}/confirm",
    response={200: CodingConfirmOut, 409: ErrorOut, **ERRORS},
    summary="Confirm an export's codes are entered in the clinical system",
    description="Marks that export's codes (and only those) entered. Scope: `codes:write`.",
)
def codes_confirm(
    request: HttpRequest, ods: str = Path(..., pattern=ODS), export_id: int = Path(..., ge=1, le=2**31 - 1)
):
    practice = practice_for(request, ods, Scope.CODES_WRITE)
    if selectors.coding_export(practice, export_id) is None:
        raise ApiError(404)
    try:
        coded = coding.confirm(actor=intake.actor_for(request.auth), practice=practice, export_id=export_id)
    except coding.CodingError as error:
        raise ApiError(409, str(error)) from error
    return {"export_id": export_id, "coded": coded}


def _campaign(campaign) -> dict:
    counts = selectors.message_counts(campaign)
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "status": campaign.status,
        "approved_at": campaign.approved_at,
        "scheduled_for": campaign.scheduled_for,
        "messages": counts,
        "messages_total": sum(counts.values()),
    }


@practices.get(
    "/{ods}/campaigns",
    response={200: CampaignsOut, **ERRORS},
    summary="Campaigns and their progress",
    description="Each campaign's messages counted by state; no patient. Scope: `campaigns:read`.",
)
def campaigns(request: HttpRequest, ods: str = Path(..., pattern=ODS)):
    practice = practice_for(request, ods, Scope.CAMPAIGNS_READ)
    return {"campaigns": [_campaign(c) for c in selectors.campaigns(practice)]}


@practices.get(
    "/{ods}/campaigns/{campaign_id}",
    response={200: CampaignOut, **ERRORS},
    summary="One campaign's progress",
    description="Scope: `campaigns:read`.",
)
def campaign(
    request: HttpRequest, ods: str = Path(..., pattern=ODS), campaign_id: int = Path(..., ge=1, le=2**31 - 1)
):
    practice = practice_for(request, ods, Scope.CAMPAIGNS_READ)
    return _campaign(selectors.campaign(practice, campaign_id))


@practices.get(
    "/{ods}/figures",
    response={200: FiguresOut, **ERRORS},
    summary="The dashboard's figures for a period",
    description="Days from start to end, both included (at most 366). Scope: `figures:read`.",
)
def practice_figures(request: HttpRequest, query: Query[PeriodQuery], ods: str = Path(..., pattern=ODS)):
    practice = practice_for(request, ods, Scope.FIGURES_READ)
    return _figures(report_figures.practice_figures(practice, _period(query)))


@organisations.get(
    "/{code}/figures",
    response={200: RollupOut, **ERRORS},
    summary="An organisation's practices side by side, and their totals",
    description="Counts only, never a patient. An organisation's token only. Scope: `figures:read`.",
)
def organisation_figures(request: HttpRequest, query: Query[PeriodQuery], code: str = Path(..., pattern=ODS)):
    organisation = organisation_for(request, code, Scope.FIGURES_READ)
    period = _period(query)
    rows = report_figures.rollup(list(organisation_practices(organisation)), period)
    return {
        "organisation": {"code": organisation.code, "name": organisation.name, "kind": organisation.kind},
        "period": {"start": period.start, "end": period.end},
        "practices": [
            {"ods_code": practice.ods_code, "name": practice.name, "figures": _figures(figures)}
            for practice, figures in rows
        ],
        "totals": _figures(report_figures.totals([f for _, f in rows], period)),
    }


api.add_router("/practices", practices)
api.add_router("/organisations", organisations)
