"""Staff sessions end after 30 idle minutes (H3) although a patient's form session is written only when its
answers change (H44): a signed-in member's session is written on every request, so its end moves on."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def test_each_staff_request_moves_the_end_of_the_session_thirty_minutes_on(client, practice):
    factories.sign_in(client, factories.staff(practice, "reviewer"))
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get(reverse("staff:dashboard", kwargs={"ods": practice.ods_code})).status_code == 200
    moved = Session.objects.get(pk=key).expire_date
    assert abs(moved - (timezone.now() + timedelta(minutes=30))) < timedelta(seconds=30)
