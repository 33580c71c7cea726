"""Playwright driving Debian's Chromium against pytest-django's live server.

Pages lay out the same on every machine: every context is made by `new_context`, at one window size, with the
NHS.UK frontend's web font answered by the font `make install` ships (Arimo), so no journey depends on the
fonts a machine happens to have. Journeys follow the header's links with `go_to`, as a person can on any
screen, whether or not the header folded the link into its "More" menu.
"""

import os
import re
import shutil

import pytest
from django.conf import settings

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


VIEWPORT = {"width": 1280, "height": 800}
# The NHS.UK frontend's CSS loads Frutiger from the NHS's asset host, which these tests never reach: its two
# faces are answered with Arimo (Arial's metrics, Arial being Frutiger's fallback), from the built assets.
NHS_FONTS = re.compile(r"^https://assets\.nhs\.uk/fonts/")
SHIPPED_FONTS = {"55Roman": "arimo-latin-400-normal.woff2", "65Bold": "arimo-latin-600-normal.woff2"}
# Fonts loaded, then two frames: the header has measured its links again (it does so on the next frame).
SETTLED = "() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))"


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


def _shipped_font(name: str):
    path = settings.ASSETS_BUILD_DIR / "fonts" / name
    if not path.exists():
        pytest.fail(f"The font the browser tests use is missing at {path}: run make install")
    return path


def _serve_shipped_font(route):
    face = next((file for name, file in SHIPPED_FONTS.items() if name in route.request.url), None)
    if face is None:
        route.abort()
        return
    # A web font from another host is fetched in CORS mode: without this header Chromium would not use it.
    route.fulfill(
        path=_shipped_font(face), content_type="font/woff2", headers={"Access-Control-Allow-Origin": "*"}
    )


@pytest.fixture
def new_context(browser, live_server):
    """Make a browser context for the live server: the one place a window size and fonts are chosen."""
    for face in SHIPPED_FONTS.values():
        _shipped_font(face)
    contexts = []

    def make(**options):
        defaults = {"viewport": VIEWPORT, "device_scale_factor": 1, "locale": "en-GB"}
        context = browser.new_context(base_url=live_server.url, **(defaults | options))
        context.route(NHS_FONTS, _serve_shipped_font)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _section_of(name: str) -> str | None:
    """The header section holding the page `name` when that is not itself a header link (access.py's menus)."""
    from recordaccess.practices.access import Menu, access_rules, menu_items

    access_rules()
    if any(menu.value == name for menu in Menu):
        return None
    return next((menu.value for menu in Menu if any(item.text == name for item in menu_items(menu))), None)


def go_to(page, name: str, at=None) -> None:
    """Follow the navigation link `name` as a person would: the header moves the links that do not fit its width
    into a "More" menu, so open that menu first when the link is in it; a page inside a section is reached by
    the section's header link, then the section's own menu (`at(section)`, if given, is called on the section's
    page on the way, as the journeys take their screenshots)."""
    section = _section_of(name)
    _follow_header_link(page, section or name)
    if section is not None and at:
        at(section)
    if section is not None:
        menu = page.locator("#section-navigation")  # read on the section's page, which has loaded by now
        if menu.count() and menu.get_by_role("link", name=name, exact=True).count():
            with page.expect_navigation():
                menu.get_by_role("link", name=name, exact=True).click()


def _follow_header_link(page, name: str) -> None:
    header = page.locator(".nhsuk-header[data-nhsuk-header-init]")  # its script has placed the links
    header.wait_for()
    page.evaluate(SETTLED)
    link = header.locator(".nhsuk-header__navigation").get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        header.locator(".nhsuk-header__menu-toggle").click()
    with page.expect_navigation():  # what follows reads the next page, never this one
        link.click()


@pytest.fixture
def page(new_context):
    page = new_context().new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: page.console_errors.append(message.text) if message.type == "error" else None,
    )
    return page


def sign_in(page, user, password=None, at=None):
    """Sign a member of staff in through the real pages, two-factor and all; `at(name)`, if given, is called on
    each page of the way ("password", then "security-code"), as the journeys take their screenshots."""
    import base64
    import time

    import pyotp

    from tests import factories

    device = user.totpdevice_set.get(confirmed=True)
    totp = pyotp.TOTP(base64.b32encode(device.bin_key).decode())
    page.goto("/staff/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password or factories.TEST_PASSWORD)
    if at:
        at("password")
    page.get_by_role("button", name="Continue").click()
    if at:
        page.get_by_label("Security code").wait_for()
        at("security-code")
    code = totp.now()
    if device.last_t >= int(time.time()) // 30:  # that code was used: wait for the next
        time.sleep(30 - time.time() % 30 + 0.5)
        code = totp.now()
    page.get_by_label("Security code").fill(code)
    with page.expect_navigation():  # signed in on the next page, not while this one is still showing
        page.get_by_role("button", name="Sign in").click()
    return page


@pytest.fixture
def sign_in_as(page):
    """Sign a member of staff in through the real pages, two-factor and all."""
    return lambda user, password=None: sign_in(page, user, password)
