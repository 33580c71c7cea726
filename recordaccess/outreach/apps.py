from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "recordaccess.outreach"
    verbose_name = "Telling patients"
