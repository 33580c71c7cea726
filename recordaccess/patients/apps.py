from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "recordaccess.patients"
    verbose_name = "Patient register"
