from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "recordaccess.health"
    verbose_name = "Service health and the task worker"
