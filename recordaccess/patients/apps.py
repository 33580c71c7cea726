from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "recordaccess.patients"
    verbose_name = "Patient register"

    def ready(self):
        from recordaccess.patients.selectors import audit_names
        from recordaccess.practices.signals import audit_names as names_wanted

        names_wanted.connect(audit_names, dispatch_uid="patients.audit_names")
