"""Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in these tests are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def real_errors(errors: list[str]) -> list[str]:
    """Console errors, less the kinds expected: Chromium here has no network, so the NHS.UK font host cannot be
    reached; and a form refused with its errors shown is answered 400, which Chromium logs."""
    expected = ("assets.nhs.uk", "ERR_", "status of 400 (Bad Request)")
    return [e for e in errors if not any(part in e for part in expected)]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
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


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: page.console_errors.append(message.text) if message.type == "error" else None,
    )
    yield page
    context.close()


def sign_in(page, user, password=None):
    """Sign a member of staff in through the real pages, two-factor and all."""
    import base64
    import time

    import pyotp

    from tests import factories

    device = user.totpdevice_set.get(confirmed=True)
    totp = pyotp.TOTP(base64.b32encode(device.bin_key).decode())
    page.goto("/staff/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password or factories.TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    code = totp.now()
    if device.last_t >= int(time.time()) // 30:  # that code was used: wait for the next
        time.sleep(30 - time.time() % 30 + 0.5)
        code = totp.now()
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    return page


@pytest.fixture
def sign_in_as(page):
    """Sign a member of staff in through the real pages, two-factor and all."""
    return lambda user, password=None: sign_in(page, user, password)
