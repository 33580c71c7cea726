from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "recordaccess.outreach"
    verbose_name = "Telling patients"

    def ready(self) -> None:
        from recordaccess.outreach.services import recheck_templates
        from recordaccess.practices.signals import approach_changed

        approach_changed.connect(recheck_templates, dispatch_uid="outreach.recheck_templates")
