import os

import pytest

from recordaccess.outreach.localnotify import API_KEY, EMAIL_TEMPLATE_ID, SMS_TEMPLATE_ID, FakeNotify
from tests import factories


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    """Reports and other files the service writes go to the test's own folder, never the real var/."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    settings.MEDIA_ROOT = settings.VAR_DIR / "private"
    settings.AUDIT_CHECKPOINT_DIR = settings.VAR_DIR / "audit-checkpoints"


@pytest.fixture(autouse=True, scope="session")
def _worker_checkpoints(tmp_path_factory):
    """Workers the tests start as processes write audit checkpoints to this run's own folder, never to var/."""
    os.environ["AUDIT_CHECKPOINT_DIR"] = str(tmp_path_factory.mktemp("audit-checkpoints"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL the audit trail refuses TRUNCATE, which is how the test runner empties tables between
    tests: the test database alone switches that trigger off (tests/audit/test_forgery.py switches it back on)."""
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_truncate")
            cursor.execute("ALTER TABLE audit_audithead DISABLE TRIGGER audit_head_no_truncate")


@pytest.fixture
def practice(db):
    return factories.practice("A81001", name="Riverside Surgery")


@pytest.fixture
def other_practice(db):
    return factories.practice("B82002", name="Hillside Practice")


@pytest.fixture
def staff_client(client, practice):
    """A client factory: staff_client(role) signs in a new member of `practice` with that role."""

    def make(role: str):
        return factories.sign_in(client, factories.staff(practice, role))

    return make


@pytest.fixture
def notify(settings):
    """A local server that speaks GOV.UK Notify's API (and checks the JWT), with the service sending through the
    real Notify client to it."""
    with FakeNotify() as server:
        settings.MESSAGE_CHANNEL = "recordaccess.outreach.channels.NotifyChannel"
        settings.NOTIFY_API_KEY, settings.NOTIFY_BASE_URL = API_KEY, server.url
        settings.NOTIFY_SMS_TEMPLATE_ID, settings.NOTIFY_EMAIL_TEMPLATE_ID = (
            SMS_TEMPLATE_ID,
            EMAIL_TEMPLATE_ID,
        )
        # Notify's minute allowance is handed out a second at a time (outreach/ratelimit.py): a test's few hundred
        # messages fit in one second's share, as they did in a window before; the rate is test_ratelimit.py's.
        settings.NOTIFY_RATE_PER_MINUTE = 61 * 1000
        yield server


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the whole run: the browser tests (tests/browser/) and the
    journeys (tests/journeys/) share it, since Playwright's sync API allows one instance in a thread at a time."""
    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    path = chromium_path()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but Chromium is not installed (apt-get install chromium)")
        pytest.skip(
            "Chromium is not installed (apt-get install chromium); set REQUIRE_BROWSER=1 to fail instead"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
