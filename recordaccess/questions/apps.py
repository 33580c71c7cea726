from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "recordaccess.questions"
    verbose_name = "Patients' questions: FAQ, call guide, inbox, drop-ins and the PPG"

    def ready(self):
        from recordaccess.intake.signals import request_matched, request_received
        from recordaccess.practices.signals import audit_names
        from recordaccess.questions import selectors, services
        from recordaccess.replies.signals import reply_to_read

        request_received.connect(services.follow_request, dispatch_uid="questions.follow_request")
        request_matched.connect(services.follow_match, dispatch_uid="questions.follow_match")
        reply_to_read.connect(services.follow_reply, dispatch_uid="questions.follow_reply")
        audit_names.connect(selectors.audit_names, dispatch_uid="questions.audit_names")
