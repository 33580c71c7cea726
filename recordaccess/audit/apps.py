from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "recordaccess.audit"
    verbose_name = "Audit trail"
