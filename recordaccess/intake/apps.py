from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "recordaccess.intake"
    verbose_name = "Requests from patients"
