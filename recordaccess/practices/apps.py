from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "recordaccess.practices"
    verbose_name = "Practices and staff"
