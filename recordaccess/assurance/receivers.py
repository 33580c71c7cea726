"""Answers to practices' signals: a change of approach after the DPIA was signed off asks for a review; the
audit trail's page names each DPIA version by its number."""

from django.dispatch import receiver

from recordaccess.assurance.selectors import audit_names
from recordaccess.practices.signals import approach_changed
from recordaccess.practices.signals import audit_names as names_wanted

names_wanted.connect(audit_names, dispatch_uid="assurance.audit_names")


@receiver(approach_changed, dispatch_uid="assurance_dpia_approach")
def _dpia_assessed_another_approach(sender, practice, before, after, **kwargs) -> str:
    from recordaccess.assurance.models import Assessment

    signed = (
        Assessment.objects.filter(practice=practice, signed_at__isnull=False)
        .order_by("-number")
        .values_list("approach", "number")
        .first()
    )
    if signed is None or signed[0] == after:
        return ""
    return (
        f"The DPIA (version {signed[1]}) was signed off for another approach. Review it: start a new version, "
        "check each step against the new approach and sign it off again."
    )
