from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "recordaccess.assurance"
    verbose_name = "Assurance: the DPIA step by step"

    def ready(self) -> None:
        from recordaccess.assurance import receivers  # noqa: F401 - connects to practices' signals
