from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "recordaccess.reports"
    verbose_name = "Reports: the practice dashboard and the PCN and ICB roll-up"
