from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "recordaccess.intake"
    verbose_name = "Requests from patients"

    def ready(self):
        from recordaccess.core import privatefiles  # noqa: F401 - registers the check for identity copies' modes
