"""Patients' answers, as outreach sees them: the link in each message that asks for one. What an answer becomes
(a request, a decline code, a question in the question inbox) is the replies app's (replies/services.py), above
the apps an answer reaches into; questions are answered in the question inbox (questions/)."""

from django.conf import settings
from django.urls import reverse


def preference_link(code: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("reply", kwargs={"code": code})
