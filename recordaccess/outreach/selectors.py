from django.urls import reverse

from recordaccess.outreach.formatting import to_html
from recordaccess.outreach.messages import render
from recordaccess.outreach.models import MessageTemplate


def practice_templates(practice):
    return MessageTemplate.objects.filter(practice=practice)


def sample_values(practice, base_url: str) -> dict[str, str]:
    """What a practice's placeholders hold, with a sample patient, for previews."""
    dpia = getattr(practice, "dpia", None)
    start = base_url + reverse("intake:start", kwargs={"ods": practice.ods_code})
    return {
        "first name": "Sam",
        "last name": "Patient",
        "practice name": practice.name,
        "practice phone": practice.phone or "the practice",
        "request link": start,
        "preference link": start,
        "resources link": start,
        "start date": "the day we turn it on",
        "DPIA reference": (dpia.reference if dpia else "") or "(not recorded yet)",
        "DPIA link": (dpia.url if dpia else "") or start,
        "resources": "\n".join(f"- {r.title}: {r.url}" for r in practice.resources.all()),
    }


def published_notice(practice, base_url: str):
    """The practice's approved website notice as HTML, or None when it has not approved one."""
    template = (
        practice_templates(practice)
        .filter(channel="website", purpose="announcement", higher_risk=False, status="approved")
        .order_by("-approved_at")
        .first()
    )
    if template is None:
        return None
    return to_html(render(template.body, sample_values(practice, base_url)))
