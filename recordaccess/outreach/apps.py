from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "recordaccess.outreach"
    verbose_name = "Telling patients"

    def ready(self) -> None:
        from recordaccess.outreach.direct import queue_staff_email
        from recordaccess.outreach.services import recheck_templates
        from recordaccess.practices.signals import approach_changed, staff_email

        approach_changed.connect(recheck_templates, dispatch_uid="outreach.recheck_templates")
        staff_email.connect(queue_staff_email, dispatch_uid="outreach.queue_staff_email")
