"""What each operation answers for the token's own practice or organisation: a request's status, the coding
worklist and its confirmation, campaigns' counts, the figures; and an organisation's roll-up, which names no
patient anywhere."""

import json
import re

import pytest

from recordaccess.audit.models import AuditEntry
from recordaccess.review.models import CodingEntry
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
PERIOD = "start=2026-01-01&end=2026-12-31"


def get(client, path, secret):
    response = client.get(path, **bearer(secret))
    assert response.status_code == 200, response.content
    return response.json()


def test_a_request_status_says_where_it_is_and_nothing_about_the_person(
    client, practice, practice_data, make_token
):
    request = practice_data["A81001"]["request"]
    answer = get(
        client,
        f"/api/v1/practices/A81001/requests/{request.reference_display}",
        make_token(practice=practice),
    )
    assert answer["reference"] == request.reference_display
    assert (answer["status"], answer["status_label"]) == ("decided", "Decided")
    text = json.dumps(answer)
    assert request.family_name not in text and request.patient.nhs_number not in text


def test_the_coding_worklist_is_exported_and_confirmed_as_on_the_coding_page(
    client, practice, practice_data, make_token
):
    secret = make_token(practice=practice)
    [code] = get(client, "/api/v1/practices/A81001/codes", secret)["codes"]
    assert code["nhs_number"] == practice_data["A81001"]["decision"].patient.nhs_number
    assert code["code"] == "1364751000000106" and code["export_id"] is None
    exported = client.post("/api/v1/practices/A81001/codes/exports", **bearer(secret)).json()
    assert [c["id"] for c in exported["codes"]] == [code["id"]]
    confirm = f"/api/v1/practices/A81001/codes/exports/{exported['export_id']}/confirm"
    assert client.post(confirm, **bearer(secret)).json() == {"export_id": exported["export_id"], "coded": 1}
    assert CodingEntry.objects.get(pk=code["id"]).coded_by == f"API token Consultation tool ({secret[3:11]})"
    again = client.post(confirm, **bearer(secret))
    assert again.status_code == 409 and "already" in again.json()["error"]["message"]
    assert get(client, "/api/v1/practices/A81001/codes", secret)["codes"] == []
    assert AuditEntry.objects.filter(action="coding.confirm", practice_ods="A81001").count() == 1


def test_campaigns_are_counts_by_state(client, practice, practice_data, make_token):
    secret = make_token(practice=practice)
    campaign = practice_data["A81001"]["campaign"]
    [listed] = get(client, "/api/v1/practices/A81001/campaigns", secret)["campaigns"]
    assert listed == get(client, f"/api/v1/practices/A81001/campaigns/{campaign.pk}", secret)
    assert (listed["name"], listed["messages"], listed["messages_total"]) == ("Launch", {"delivered": 1}, 1)
    theirs = practice_data["B82002"]["campaign"]
    assert client.get(f"/api/v1/practices/A81001/campaigns/{theirs.pk}", **bearer(secret)).status_code == 404


def test_a_practice_figures_are_the_reports_figures(client, practice, practice_data, make_token):
    figures = get(client, f"/api/v1/practices/A81001/figures?{PERIOD}", make_token(practice=practice))
    assert figures["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert figures["funnel"]["requested"] == 1 and figures["funnel"]["outcomes"]["granted"] == 1


def test_an_organisation_sees_each_practice_and_the_totals_and_no_patient_anywhere(
    client, practice, other_practice, organisation, practice_data, make_token
):
    secret = make_token(organisation=organisation)
    answer = get(client, f"/api/v1/organisations/U12345/figures?{PERIOD}", secret)
    assert [p["ods_code"] for p in answer["practices"]] == ["B82002", "A81001"]  # by name
    assert answer["totals"]["practices"] == 2 and answer["totals"]["funnel"]["requested"] == 2
    text = json.dumps(answer)
    for made in practice_data.values():
        request, patient = made["request"], made["decision"].patient
        for identifying in (
            patient.nhs_number,
            patient.given_name,
            patient.family_name,
            patient.date_of_birth.isoformat(),
            patient.date_of_birth.strftime("%d/%m/%Y"),
            patient.postcode,
            request.postcode.replace(" ", ""),
            request.mobile,
            request.email,
            request.reference,
            request.reference_display,
        ):
            assert identifying and identifying not in text, identifying
    assert not re.search(r"\b\d{10}\b", text)  # nothing shaped like an NHS number
    # An organisation's token reads no practice's operations, and a practice's token no organisation's.
    for path in ("codes", "campaigns", f"figures?{PERIOD}"):
        assert client.get(f"/api/v1/practices/A81001/{path}", **bearer(secret)).status_code == 404
    practice_token = make_token(practice=practice)
    assert (
        client.get(f"/api/v1/organisations/U12345/figures?{PERIOD}", **bearer(practice_token)).status_code
        == 404
    )
