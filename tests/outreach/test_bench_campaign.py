"""The sending benchmark runs end to end and reports its figures (the targets are met in the benchmark, not
here): real workers, the real Notify client, a local Notify-compatible server, and a worker killed mid-send."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from recordaccess.outreach.models import Campaign
from recordaccess.patients.models import Patient


@pytest.mark.django_db(transaction=True)
def test_bench_campaign_sends_every_message_once_through_a_killed_worker():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the benchmark's workers run in child processes, which cannot see an in-memory test database"
        )
    out = io.StringIO()
    call_command("bench_campaign", "--recipients", "600", "--kill-at", "0.3", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["recipients"] == result["received"] == 600
    assert result["duplicates"] == 0 and result["lost"] == 0 and result["unexpected"] == 0
    assert result["killed_after"] >= 180
    assert result["campaign_status"] == "completed" and result["statuses"] == {"sent": 600}
    assert result["build_seconds"] > 0 and result["send_rate_per_s"] > 0
    assert not Patient.objects.exists() and not Campaign.objects.exists()  # it leaves the database as it was


@pytest.mark.django_db(transaction=True)
def test_bench_campaign_sends_every_message_once_when_a_tenth_of_notifys_answers_are_lost():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the benchmark's workers run in child processes, which cannot see an in-memory test database"
        )
    out = io.StringIO()
    arguments = ["--recipients", "600", "--lose-answers", "0.1", "--timeout", "300", "--json"]
    call_command("bench_campaign", *arguments, stdout=out)
    result = json.loads(out.getvalue())
    assert result["answers_lost"] >= 30 and result["look_ups"] >= result["answers_lost"]
    assert result["received"] == 600 and result["lost"] == 0
    assert result["duplicates"] == 0 and result["unexpected"] == 0
    assert result["campaign_status"] == "completed" and result["statuses"] == {"sent": 600}
