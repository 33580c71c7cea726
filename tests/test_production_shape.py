"""The production shape (docs/deploy.md): gunicorn with the repository's config serving the app, WhiteNoise serving
the static files, production's security settings, and the local-HTTP switch that `make serve-production` uses
refused anywhere but this machine."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "TASKS_BACKEND", "REDIS_URL"}
    }
    env.update(
        RECORDACCESS_ENV="production",
        RECORDACCESS_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="s" * 50,
        AUDIT_KEY="a" * 48,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        DJANGO_SETTINGS_MODULE="recordaccess.settings",
    )
    env.update(extra)
    return env


def settings_value(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_gunicorn_config_is_valid():
    result = subprocess.run(
        [BIN / "gunicorn", "--check-config", "-c", "deploy/gunicorn.conf.py", "recordaccess.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_serves_the_app_and_whitenoise_its_static_files_with_production_headers(tmp_path):
    port = free_port()
    env = production_env(
        tmp_path, PRODUCTION_OVER_LOCAL_HTTP="1", WEB_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1"
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [BIN / "recordaccess", *command, "--verbosity", "0"], env=env, cwd=ROOT, check=True, timeout=300
        )
    server = subprocess.Popen(
        [BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py", "recordaccess.wsgi"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/status/", timeout=5)
                break
            except requests.ConnectionError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
                time.sleep(0.3)

        # No worker has run here, so the health check says so, in JSON, with a 503 for the load balancer.
        unhealthy = requests.get(f"{base}/healthz", timeout=5)
        assert unhealthy.status_code == 503
        assert unhealthy.json()["worker"]["status"] == "down"

        css = requests.get(
            f"{base}/assets/nhsuk-frontend.min.css", headers={"Accept-Encoding": "gzip"}, timeout=5
        )
        assert css.status_code == 200
        assert css.headers["Content-Encoding"] == "gzip"
        assert "public" in css.headers["Cache-Control"]

        page = requests.get(f"{base}/status/?q=Siobhan", timeout=5)
        assert page.status_code == 200
        headers = page.headers
        assert headers["Server"] == "gunicorn"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    # The access log names the path, never a query string.
    assert '"GET /status/"' in output
    assert "Siobhan" not in output
    assert "Traceback" not in output


def test_production_keeps_cookies_secure_and_https_on(tmp_path):
    result = settings_value(
        production_env(tmp_path),
        "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT, "
        "settings.SECURE_HSTS_SECONDS, settings.DEBUG",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True True 31536000 False"


def test_local_http_lifts_them_on_this_machine_only(tmp_path):
    local = settings_value(
        production_env(tmp_path, PRODUCTION_OVER_LOCAL_HTTP="1"),
        "settings.SESSION_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS",
    )
    assert local.returncode == 0, local.stderr
    assert local.stdout.strip() == "False False 0"

    real = settings_value(
        production_env(tmp_path, PRODUCTION_OVER_LOCAL_HTTP="1", ALLOWED_HOSTS="records.example.nhs.uk"),
        "settings.SESSION_COOKIE_SECURE",
    )
    assert real.returncode != 0
    assert "PRODUCTION_OVER_LOCAL_HTTP is for this machine alone" in real.stderr
