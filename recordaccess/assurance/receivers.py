"""Answers to practices' signals: a change of approach after the DPIA was signed off asks for a review."""

from django.dispatch import receiver

from recordaccess.practices.signals import approach_changed


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
