from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "recordaccess.api"
    verbose_name = "API: the REST API for online consultation tools and organisations"
