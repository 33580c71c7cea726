from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "recordaccess.conversations"
    verbose_name = "Conversations and drop-in sessions"
