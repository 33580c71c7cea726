"""The journeys reuse the browser tests' Chromium (tests/conftest.py) and contexts (tests/browser/conftest.py):
the same fixed window, the same shipped fonts, the same Content Security Policy bypass for axe-core."""

import shutil

import pytest

from tests.browser.conftest import new_context  # noqa: F401 - the fixture, defined once there
from tests.journeys.walk import Journey


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/journeys/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def journeys_dir():
    """var/journeys/ in the real var folder (read before a test points VAR_DIR at its own temporary folder),
    emptied of the last run's screenshots."""
    from django.conf import settings

    folder = settings.VAR_DIR / "journeys"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def journey(new_context, journeys_dir):  # noqa: F811 - new_context is the imported fixture
    return Journey(new_context, journeys_dir)
