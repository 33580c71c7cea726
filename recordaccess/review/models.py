from django.db import models

from recordaccess.practices.models import Practice


class WaitingListPolicy(models.Model):
    """How a practice orders its waiting list: points for each reason, and its target turnaround."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="waiting_list_policy")
    need_points = models.FloatField(default=30, help_text="Staff marked a clinical need (e.g. a carer).")
    risk_flag_points = models.FloatField(
        default=10,
        help_text="The patient has a flag that demands enhanced review (reviewed sooner, with care).",
    )
    prospective_points = models.FloatField(
        default=5, help_text="Asked only for new entries: quicker to review than the full past record."
    )
    points_per_day = models.FloatField(default=1, help_text="Waiting time: no one waits forever.")
    target_days = models.PositiveIntegerField(default=28, help_text="The practice's target turnaround.")

    def __str__(self) -> str:
        return f"Waiting-list policy of {self.practice}"
