from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "recordaccess.replies"
    verbose_name = "Patients' answers to our messages"
