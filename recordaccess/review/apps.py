from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "recordaccess.review"
    verbose_name = "Waiting list and record review"

    def ready(self):
        from recordaccess.patients.flags import flags_changed
        from recordaccess.review.services import follow_flags

        flags_changed.connect(follow_flags, dispatch_uid="review.follow_flags")
