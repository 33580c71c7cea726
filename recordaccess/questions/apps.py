from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "recordaccess.questions"
    verbose_name = "Patients' questions: FAQ, call guide, inbox, drop-ins and the PPG"
