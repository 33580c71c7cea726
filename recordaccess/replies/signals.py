"""Hooks replies offers the app above it (questions), which it never imports."""

from django.dispatch import Signal

# Sent inside the transaction that saves a reply a person must read, with reply: a "questions" answer (by the
# link, with the question typed, or by text), or a text message that could not safely be put on a record (unclear
# words, a shared or unknown number). The question inbox answers it (questions/services.py `follow_reply`), so
# every such reply is in the inbox once.
reply_to_read = Signal()
