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
        yield server
