"""Serving a request never loads the demo loaders or the benchmarks: they stay out of the apps' import path, so
a web process carries none of their code or data, and a change to them cannot break a page."""

import json
import os
import pkgutil
import subprocess
import sys
from importlib.util import find_spec

import recordaccess

# What a web process imports before its first request: the WSGI application (settings, apps, middleware), the
# URL configuration with every view, and the template engines with their context processors.
SERVE = """
import json, sys
from django.core.wsgi import get_wsgi_application
from django.template import engines
from django.urls import URLResolver, get_resolver

get_wsgi_application()

def views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from views(pattern.url_patterns)
        else:
            yield pattern.callback

assert list(views(get_resolver().url_patterns))
engines.all()
print(json.dumps(sorted(sys.modules)))
"""
# Modules that only the demo and the benchmarks use, besides those named demo, bench_* or benchmarks.
THEIRS_ONLY = [
    "recordaccess.patients.synthetic",
    "recordaccess.outreach.localnotify",
    "recordaccess.core.processes",
    "recordaccess.reports.bench",
    "recordaccess.practices.bench",
    "recordaccess.intake.formwalk",
    "recordaccess.proving.shape",
    "recordaccess.proving.load",
    "recordaccess.proving.locustfile",
]


def _for_demo_or_benchmark(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return (
        last == "demo" or last.startswith("bench_") or "benchmarks" in name.split(".") or name in THEIRS_ONLY
    )


def _loaded_to_serve(tmp_path) -> list[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "recordaccess.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "RECORDACCESS_VAR_DIR": str(tmp_path / "var"),
    }
    done = subprocess.run(
        [sys.executable, "-c", SERVE], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_modules_the_check_looks_for_exist():
    """So the check below cannot pass because a name went stale."""
    everything = [module.name for module in pkgutil.walk_packages(recordaccess.__path__, "recordaccess.")]
    assert [name for name in everything if name.endswith(".demo")]
    assert [name for name in everything if name.rsplit(".", 1)[-1].startswith("bench_")]
    assert all(find_spec(name) for name in THEIRS_ONLY)


def test_serving_a_request_loads_no_demo_and_no_benchmark(tmp_path):
    loaded = _loaded_to_serve(tmp_path)
    assert "recordaccess.urls" in loaded and "recordaccess.practices.access" in loaded
    assert not [name for name in loaded if _for_demo_or_benchmark(name)]
