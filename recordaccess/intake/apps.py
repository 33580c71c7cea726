from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "recordaccess.intake"
    verbose_name = "Requests from patients"

    def ready(self):
        from recordaccess.core import privatefiles  # noqa: F401 - registers the check for identity copies' modes
        from recordaccess.intake import selectors
        from recordaccess.intake.waiting_list import follow_flags
        from recordaccess.patients.flags import flags_changed
        from recordaccess.practices.signals import audit_names

        flags_changed.connect(follow_flags, dispatch_uid="intake.follow_flags")
        audit_names.connect(selectors.audit_names, dispatch_uid="intake.audit_names")
