"""The waiting-list benchmark runs and reports its figures (the target is met in the benchmark, not here)."""

import io
import json

import pytest
from django.core.management import call_command

from recordaccess.intake.models import AccessRequest


@pytest.mark.django_db
def test_bench_waitinglist_times_every_page_and_filter_and_leaves_nothing_behind():
    out = io.StringIO()
    call_command("bench_waitinglist", "--requests", "300", "--rounds", "1", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["requests"] == 300 and result["pages_timed"] == 8
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]
    assert set(result["median_ms_by_page"]) >= {
        "first page",
        "?show=past_target",
        "?show=flagged",
        "?show=need",
    }
    assert not AccessRequest.objects.exists()
