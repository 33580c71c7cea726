"""Who a campaign reaches, by which channel, and who it leaves out and why.

One pass over the cohort, with the communication flags and past permanent failures fetched in bulk, so a plan
for 100,000 patients takes about a second. The same function gives the counts shown before approval and the
messages built at approval, so what is approved is exactly what is sent.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from django.db.models.functions import Length
from django.utils import timezone

from recordaccess.outreach.messages import SmsLength, render, sms_cost_pence, sms_length
from recordaccess.outreach.models import Campaign, Message, MessageStatus
from recordaccess.outreach.selectors import sample_values
from recordaccess.patients.cohorts import CohortFilters, cohort_patients, years_before
from recordaccess.patients.flags import patients_needing_review
from recordaccess.patients.models import COMMUNICATION_KINDS, Flag, FlagKind
from recordaccess.patients.needs import needs_staff, written_format

LEFT_OUT = {
    "under_16": "Under 16: their parents or carers are a separate cohort",
    "deceased": "Deceased",
    "left": "Left the practice",
    "told_recently": "Told about online access recently",
    "no_contact": "No usable mobile, email address or postal address",
    "no_template": "No approved template for the only channel that reaches them",
    "needs_staff": "Only a letter reaches them but they need braille or British Sign Language: staff arrange it",
    "no_review_template": "Need enhanced review, and no review wording for a channel that reaches them",
}
# Which wording a patient gets: the campaign's default, or its review wording (patients needing enhanced review).
WORDINGS = ("standard", "review")
# Approaches whose default announcement must never reach a patient who needs enhanced review.
REVIEW_WORDING_APPROACHES = ("hybrid", "opt_out")
CHANNEL_ORDER = ("sms", "email", "letter")
PREFERRED = {FlagKind.CONTACT_SMS: "sms", FlagKind.CONTACT_EMAIL: "email", FlagKind.CONTACT_LETTER: "letter"}
FAILED = (MessageStatus.PERMANENT_FAILURE,)


@dataclass
class Recipient:
    patient_id: int
    channel: str
    format: str
    needs_review: bool = False  # patients/flags.py needs_enhanced_review: the same answer as the decision
    review: bool = False  # gets the campaign's review wording (hybrid and opt-out practices)


@dataclass
class Plan:
    recipients: list[Recipient] = field(default_factory=list)
    left_out: Counter = field(default_factory=Counter)

    def counts(self) -> dict:
        by_channel = Counter(r.channel for r in self.recipients)
        reviewed = sum(1 for r in self.recipients if r.review)
        return {
            "recipients": len(self.recipients),
            "by_channel": {channel: by_channel.get(channel, 0) for channel in CHANNEL_ORDER},
            "by_wording": {"standard": len(self.recipients) - reviewed, "review": reviewed},
            "by_format": dict(Counter(r.format for r in self.recipients if r.format)),
            "left_out": {reason: self.left_out[reason] for reason in LEFT_OUT if self.left_out[reason]},
        }


def plan_campaign(campaign: Campaign, *, today: datetime.date | None = None) -> Plan:
    today = today or timezone.localdate()
    filters = CohortFilters.from_dict(campaign.cohort.filters)
    cohort = cohort_patients(campaign.practice, filters, today=today)
    patients = cohort.values_list(
        "pk",
        "date_of_birth",
        "status",
        "mobile",
        "email",
        "address_line_1",
        "address_line_2",
        "postcode",
        "last_contacted_at",
    )
    patient_ids = cohort.values("pk")  # a subquery: no list of ids as SQL parameters, however big the cohort
    needing_review = patients_needing_review(patient_ids)
    flags: dict[int, set[tuple[str, str]]] = {}
    for patient_id, kind, code in (
        Flag.objects.current()
        .filter(patient_id__in=patient_ids, kind__in=COMMUNICATION_KINDS)
        .values_list("patient_id", "kind", "code")
    ):
        flags.setdefault(patient_id, set()).add((kind, code))
    failed = set(
        Message.objects.filter(patient_id__in=patient_ids, status__in=FAILED).values_list(
            "patient_id", "channel"
        )
    )
    templates = {channel for channel in CHANNEL_ORDER if campaign.template_for(channel) is not None}
    review_templates = {c for c in CHANNEL_ORDER if campaign.template_for(c, review=True) is not None}
    # Who gets the review wording: those the one rule says need enhanced review, where the approach asks.
    needs_review = needing_review if campaign.practice.approach in REVIEW_WORDING_APPROACHES else set()
    adult_born_by = years_before(today, 16)
    told_since = timezone.now() - datetime.timedelta(days=campaign.skip_told_within_days)
    plan = Plan()
    for pk, born, status, mobile, email, line_1, line_2, postcode, last_contacted in patients.iterator(
        chunk_size=5000
    ):
        if status != "registered":
            plan.left_out[status] += 1
            continue
        if born > adult_born_by:
            plan.left_out["under_16"] += 1
            continue
        if campaign.skip_told_within_days and last_contacted and last_contacted >= told_since:
            plan.left_out["told_recently"] += 1
            continue
        kinds = {kind for kind, _ in flags.get(pk, ())}
        reachable = {
            "sms": bool(mobile) and (pk, "sms") not in failed,
            "email": bool(email) and (pk, "email") not in failed,
            "letter": bool(postcode and (line_1 or line_2)) and (pk, "letter") not in failed,
        }
        order = [PREFERRED[k] for k in PREFERRED if k in kinds] + list(CHANNEL_ORDER)
        possible = [channel for channel in dict.fromkeys(order) if reachable[channel]]
        if not possible:
            plan.left_out["no_contact"] += 1
            continue
        review = pk in needs_review
        channel = next((c for c in possible if c in (review_templates if review else templates)), None)
        if channel is None:
            plan.left_out["no_review_template" if review else "no_template"] += 1
            continue
        needs = written_format(flags.get(pk, ()))
        if channel == "letter" and needs_staff(needs):  # on the communication worklist instead
            plan.left_out["needs_staff"] += 1
            continue
        plan.recipients.append(
            Recipient(pk, channel, needs, needs_review=pk in needing_review, review=review)
        )
    return plan


@dataclass(frozen=True)
class SmsEstimate:
    length: SmsLength  # of the longest text the campaign sends
    messages: int
    fragments: int
    cost_pence: float


def sms_estimate(campaign: Campaign, base_url: str) -> SmsEstimate | None:
    """What the campaign's texts cost before it is sent: the template filled in with the longest first name
    among the cohort and a preference link as long as the real ones, so the estimate is an upper bound."""
    template = campaign.template_for("sms")
    count = campaign.plan.get("by_channel", {}).get("sms", 0)
    if template is None or not count:
        return None
    longest = (
        cohort_patients(campaign.practice, CohortFilters.from_dict(campaign.cohort.filters))
        .exclude(mobile="")
        .aggregate(n=Max(Length("given_name")))["n"]
        or 7
    )
    values = {
        **sample_values(campaign.practice, base_url),
        "first name": "M" * longest,
        "preference link": base_url + "/r/0123456789/",
    }
    length = sms_length(render(template.body, values))
    fragments = length.fragments * count
    return SmsEstimate(
        length, count, fragments, sms_cost_pence(length.fragments, count, settings.SMS_PRICE_PENCE)
    )
