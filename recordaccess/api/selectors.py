"""What the API reads, each scoped to one practice or organisation."""

from django.db.models import Count, QuerySet

from recordaccess.api.models import ApiToken
from recordaccess.intake.selectors import request_by_reference
from recordaccess.outreach.models import Campaign
from recordaccess.outreach.selectors import campaign_for_practice, practice_campaigns
from recordaccess.practices.models import Organisation
from recordaccess.review import coding
from recordaccess.review.models import CodingEntry, CodingExport


def practice_tokens(practice) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(practice=practice)


def token_for_practice(practice, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(practice=practice, pk=token_id).first()


def tokens(*, practice=None, organisation=None) -> QuerySet[ApiToken]:
    found = ApiToken.objects.select_related("practice", "organisation")
    if practice is not None:
        found = found.filter(practice=practice)
    if organisation is not None:
        found = found.filter(organisation=organisation)
    return found


def token_by_prefix(prefix: str) -> ApiToken | None:
    return ApiToken.objects.select_related("practice", "organisation").filter(prefix=prefix).first()


def organisation_by_code(code: str) -> Organisation | None:
    return Organisation.objects.filter(code__iexact=code).first()


def request_status(practice, reference: str):
    return request_by_reference(practice, reference)


def coding_worklist(practice) -> QuerySet[CodingEntry]:
    return coding.worklist(practice)


def export_entries(export: CodingExport) -> QuerySet[CodingEntry]:
    return CodingEntry.objects.filter(export=export).order_by("date", "id")


def coding_export(practice, export_id: int) -> CodingExport | None:
    return CodingExport.objects.filter(practice=practice, pk=export_id).first()


def campaigns(practice) -> QuerySet[Campaign]:
    return practice_campaigns(practice).order_by("-id")


def campaign(practice, campaign_id: int) -> Campaign:
    return campaign_for_practice(practice, campaign_id)


def message_counts(campaign: Campaign) -> dict[str, int]:
    """How many of the campaign's messages are in each state: counts only, never who."""
    rows = campaign.messages.values_list("status").annotate(n=Count("pk")).order_by("status")
    return dict(rows)


def audit_names(sender, *, practice, wanted: dict, **kwargs) -> dict:
    """Each of this practice's tokens named on the audit trail's page by its name and prefix, never its secret."""
    ids = [int(i) for i in wanted.get("api_token", ()) if str(i).isdigit()]
    return {
        ("api_token", str(t.pk)): f"{t.name} ({t.prefix})"
        for t in ApiToken.objects.filter(practice=practice, pk__in=ids).only("pk", "name", "prefix")
    }
