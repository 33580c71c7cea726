"""Settings come from the environment; production refuses unsafe defaults and passes Django's deploy check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

RECORDACCESS = [sys.executable, "-m", "recordaccess"]


def _run(args, env_overrides, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "RECORDACCESS_ENV",
            "DEBUG",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "AUDIT_KEY",
            "AUDIT_KEY_FILE",
            "AUDIT_CHECKPOINT_DIR",
        }
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", RECORDACCESS_VAR_DIR=str(tmp_path / "var")
    )
    env.update(env_overrides)
    return subprocess.run(
        [*RECORDACCESS, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _production(**extra):
    return {
        "RECORDACCESS_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "records.example.nhs.uk",
        "AUDIT_KEY": secrets.token_urlsafe(32),
        **extra,
    }


def test_production_settings_pass_djangos_deploy_check(tmp_path):
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], _production(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production()
    del env["SECRET_KEY"]
    result = _run(["check"], env, tmp_path)
    assert result.returncode == 2
    assert "SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    env = _production()
    del env["ALLOWED_HOSTS"]
    result = _run(["check"], env, tmp_path)
    assert result.returncode == 2
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_the_rq_backend_needs_a_redis_url(tmp_path):
    result = _run(["check"], {"TASKS_BACKEND": "rq", "REDIS_URL": ""}, tmp_path)
    assert result.returncode == 2
    assert "REDIS_URL" in result.stderr


def test_production_turns_on_secure_cookies_and_hsts(tmp_path):
    probe = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)"
    )
    result = _run(["shell", "-c", probe], _production(), tmp_path)
    assert result.stdout.split()[-5:] == ["False", "True", "True", "31536000", "True"], result.stderr


def test_local_use_generates_a_secret_key_once_and_keeps_it_private(tmp_path):
    probe = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _run(["shell", "-c", probe], {}, tmp_path)
    second = _run(["shell", "-c", probe], {}, tmp_path)
    key_file = Path(tmp_path / "var" / "secret_key")
    assert (
        first.stdout.strip().splitlines()[-1]
        == second.stdout.strip().splitlines()[-1]
        == key_file.read_text()
    )
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_database_url_chooses_postgresql(tmp_path):
    probe = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = _run(["shell", "-c", probe], {"DATABASE_URL": "postgres://u@db.example:5432/records"}, tmp_path)
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.postgresql"


@pytest.mark.parametrize("value", ["staging", "prod"])
def test_an_unknown_environment_name_is_refused(tmp_path, value):
    result = _run(["check"], {"RECORDACCESS_ENV": value}, tmp_path)
    assert result.returncode == 2
    assert "RECORDACCESS_ENV must be" in result.stderr


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    env = _production()
    del env["AUDIT_KEY"]
    result = _run(["check"], env, tmp_path)
    assert result.returncode == 2
    assert "AUDIT_KEY or AUDIT_KEY_FILE must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_a_short_audit_key(tmp_path):
    result = _run(["check"], _production(AUDIT_KEY="too-short"), tmp_path)
    assert result.returncode == 2
    assert "at least 32 characters" in result.stderr


def test_the_audit_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "audit.key"
    key_file.write_text("k" * 40 + "\n")
    probe = "from django.conf import settings; print(settings.AUDIT_KEY)"
    result = _run(
        ["shell", "-c", probe], {**_production(AUDIT_KEY_FILE=str(key_file)), "AUDIT_KEY": ""}, tmp_path
    )
    assert result.stdout.strip().splitlines()[-1] == "k" * 40, result.stderr


def test_an_unreadable_audit_key_file_is_named(tmp_path):
    result = _run(
        ["check"], {**_production(AUDIT_KEY_FILE=str(tmp_path / "missing.key")), "AUDIT_KEY": ""}, tmp_path
    )
    assert result.returncode == 2
    assert "missing.key" in result.stderr and "Traceback" not in result.stderr


def test_local_use_generates_an_audit_key_once_and_keeps_it_private(tmp_path):
    probe = "from django.conf import settings; print(settings.AUDIT_KEY, settings.AUDIT_CHECKPOINT_DIR)"
    first = _run(["shell", "-c", probe], {}, tmp_path)
    second = _run(["shell", "-c", probe], {}, tmp_path)
    key_file = Path(tmp_path / "var" / "audit_key")
    key, folder = first.stdout.strip().splitlines()[-1].split()
    assert key == second.stdout.strip().splitlines()[-1].split()[0] == key_file.read_text()
    assert key != (tmp_path / "var" / "secret_key").read_text()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert folder == str(tmp_path / "var" / "audit-checkpoints")


def test_checkpoints_are_written_at_least_hourly(tmp_path):
    result = _run(["check"], {"AUDIT_CHECKPOINT_SECONDS": "86400"}, tmp_path)
    assert result.returncode == 2
    assert "AUDIT_CHECKPOINT_SECONDS must be between 60 and 3600" in result.stderr


def test_production_refuses_a_retry_sooner_than_notifys_answer_could_come(tmp_path):
    """A look-up made while Notify may still be taking a message would miss it, and the message would go twice."""
    result = _run(["check"], _production(SEND_RETRY_BASE_SECONDS="10", NOTIFY_TIMEOUT_SECONDS="15"), tmp_path)
    assert result.returncode != 0 and "SEND_RETRY_BASE_SECONDS must be longer" in result.stderr
