"""What the API accepts and answers, with examples for the schema. Nothing an organisation reads names a patient."""

import datetime
from typing import Literal

from ninja import Field, Schema

Text = str  # free text: the request form's own checks say what is wrong with it


class AccessRequestIn(Schema):
    """The online request form's questions in one body. Fields that do not apply (a question when asking for
    access) are ignored, as the form skips their pages."""

    wish: Literal["wants_access", "no_access", "has_questions"]
    for_someone_else: bool = False
    requester_name: Text = Field("", max_length=200)
    requester_relationship: Text = Field("", max_length=200)
    proxy_basis: Literal["", "consent", "parental_responsibility", "lpa", "deputy"] = ""
    given_name: Text = Field("", max_length=200)
    family_name: Text = Field("", max_length=200)
    date_of_birth: Text = Field("", max_length=20, description="YYYY-MM-DD")
    address: Text = Field("", max_length=600)
    postcode: Text = Field("", max_length=20)
    nhs_number: Text = Field("", max_length=20)
    mobile: Text = Field("", max_length=30)
    phone: Text = Field("", max_length=30)
    email: Text = Field("", max_length=320)
    contact_by: Literal["sms", "email", "phone", "letter"] = "sms"
    access_level: Literal["", "prospective", "historic", "coded", "summary"] = ""
    services: list[Literal["appointments", "prescriptions"]] = Field(default_factory=list, max_length=2)
    question: Text = Field("", max_length=2100)
    communication_needs: Text = Field("", max_length=1100)
    declarations: bool = Field(False, description="The requester confirmed each of the form's declarations.")

    model_config = {
        "json_schema_extra": {
            "example": {
                "wish": "wants_access",
                "given_name": "Ada",
                "family_name": "Lovelace",
                "date_of_birth": "1985-03-27",
                "address": "1 High Street\nLeeds",
                "postcode": "LS1 4AP",
                "mobile": "07700 900982",
                "contact_by": "sms",
                "access_level": "prospective",
                "services": ["appointments"],
                "declarations": True,
            }
        }
    }


class AccessRequestCreated(Schema):
    reference: str = Field(examples=["K7M2-Q9XD"])
    received_at: datetime.datetime
    acknowledgement: Literal["sms", "email"] | None = Field(
        description="How the requester is told we have it; null when they chose a call or a letter."
    )
    repeat_of_earlier: bool = Field(
        description="The same request was sent in the last few minutes: this is that request, not a new one."
    )


class RequestStatusOut(Schema):
    reference: str = Field(examples=["K7M2-Q9XD"])
    status: str = Field(examples=["waiting"])
    status_label: str = Field(examples=["Waiting for review"])
    received_at: datetime.datetime
    route: str = Field(examples=["online"])


class CodeOut(Schema):
    id: int
    nhs_number: str = Field(examples=["4857773456"])
    code: str = Field(examples=["1364751000000106"])
    term: str
    date: datetime.date
    export_id: int | None


class CodesOut(Schema):
    codes: list[CodeOut]


class CodingExportOut(Schema):
    export_id: int
    codes: list[CodeOut]


class CodingConfirmOut(Schema):
    export_id: int
    coded: int = Field(description="How many codes were marked entered.")


class CampaignOut(Schema):
    id: int
    name: str
    status: str = Field(examples=["sending"])
    approved_at: datetime.datetime | None
    scheduled_for: datetime.datetime | None
    messages: dict[str, int] = Field(
        description="Messages by state (queued, sending, sent, delivered, …): counts only.",
        examples=[{"delivered": 412, "queued": 30}],
    )
    messages_total: int


class CampaignsOut(Schema):
    campaigns: list[CampaignOut]


class PeriodOut(Schema):
    start: datetime.date
    end: datetime.date


class FunnelOut(Schema):
    patients: int
    told: dict[str, int]
    told_any: int
    delivered: int
    answered: int
    requested: int
    verified: int
    reviewed: int
    outcomes: dict[str, int]


class DayOut(Schema):
    day: datetime.date
    waiting: int
    oldest_wait_days: int | None
    requests: int
    decisions: int
    messages: dict[str, int]


class FiguresOut(Schema):
    """reports.figures.Figures: counts, durations and shares; never a patient."""

    period: PeriodOut
    practices: int
    funnel: FunnelOut
    preferences: dict[str, int]
    waiting_now: int
    oldest_wait_days: int | None
    decision_days_median: float | None
    decision_days_p90: float | None
    messages: dict[str, dict[str, int]]
    cost_pence: float
    places_offered: int
    places_used: int
    questions_received: int
    questions_open: int
    answer_hours_median: float | None
    excluded_percent: float | None
    updated_at: datetime.datetime | None
    series: list[DayOut]


class PracticeFiguresOut(Schema):
    ods_code: str = Field(examples=["A81001"])
    name: str = Field(examples=["Riverside Surgery"])
    figures: FiguresOut


class OrganisationOut(Schema):
    code: str = Field(examples=["U12345"])
    name: str
    kind: str = Field(examples=["pcn"])


class RollupOut(Schema):
    organisation: OrganisationOut
    period: PeriodOut
    practices: list[PracticeFiguresOut]
    totals: FiguresOut
