from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "recordaccess.api"
    verbose_name = "API: the REST API for online consultation tools and organisations"

    def ready(self):
        from recordaccess.api import selectors
        from recordaccess.practices.signals import audit_names

        audit_names.connect(selectors.audit_names, dispatch_uid="api.audit_names")
