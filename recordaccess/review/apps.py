from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "recordaccess.review"
    verbose_name = "Waiting list and record review"
