"""The import benchmark runs and reports its figures (the speed targets are met in the benchmark, not here)."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from recordaccess.patients.models import Patient


@pytest.mark.django_db(transaction=True)
def test_bench_import_reports_speed_floor_memory_and_search_times():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the benchmark's import runs in a child process, which cannot see an in-memory test database"
        )
    out = io.StringIO()
    call_command("bench_import", "--rows", "300", "--json", stdout=out)
    result = json.loads(out.getvalue())
    for key in (
        "rows",
        "seconds",
        "rows_per_s",
        "floor_seconds",
        "ratio_to_floor",
        "peak_rss_mb",
        "reimport_seconds",
    ):
        assert result[key] > 0, key
    assert result["rows"] == result["created"] == 300
    assert set(result["search_ms"]) == {"nhs_number", "surname", "full_name", "date_of_birth"}
    assert not Patient.objects.exists()  # it leaves the database as it found it
