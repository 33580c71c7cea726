from django.apps import AppConfig


class ProvingConfig(AppConfig):
    name = "recordaccess.proving"
    verbose_name = "Proving: the load, fault and report runs against the production shape"
