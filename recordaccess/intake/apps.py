from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "recordaccess.intake"
    verbose_name = "Requests from patients"

    def ready(self):
        from recordaccess.core import privatefiles  # noqa: F401 - registers the check for identity copies' modes
        from recordaccess.intake.waiting_list import follow_flags
        from recordaccess.patients.flags import flags_changed

        flags_changed.connect(follow_flags, dispatch_uid="intake.follow_flags")
