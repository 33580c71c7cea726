"""A journey through the service: a browser context per person, a numbered full-page screenshot at every step
(var/journeys/<NN>-<role>-<step>.png) and axe-core run on each step's page, with a record of every page any
of its people opened, so that the test can show axe-core checked each one."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.browser.axe import violations
from tests.browser.conftest import SETTLED, go_to, real_errors, sign_in

# A page is its address less the numbers and codes in it: /staff/p/Y12345/requests/41/ is the request page,
# whichever request it shows; /r/k3x9.../ is a patient's own link.
_IDS = [(re.compile(r"/\d+(?=/|$)"), "/N"), (re.compile(r"^/r/[0-9a-z]+/"), "/r/CODE/")]


def page_key(url: str) -> str:
    path = urlsplit(url).path
    for pattern, replacement in _IDS:
        path = pattern.sub(replacement, path)
    return path


class Journey:
    def __init__(self, new_context, folder: Path):
        self._new_context = new_context
        self.folder = folder
        self.number = 0
        self.visited: list[str] = []  # every page any person's browser loaded, in order
        self.checked: list[str] = []  # the pages axe-core ran on
        self.pages = []

    def person(self, role: str, staff_user=None, password: str | None = None):
        """A browser of one's own: a member of staff signed in with two-factor (a step at each page of the
        sign-in the first time), or a patient (no staff_user)."""
        # axe-core is injected as a script, which our Content Security Policy would rightly refuse.
        page = self._new_context(bypass_csp=True).new_page()
        page.role = role
        page.console_errors = []
        page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
        page.on("framenavigated", lambda frame: self._navigated(page, frame))
        self.pages.append(page)
        if staff_user is not None:
            first = not any(key.startswith("/staff/") for key in self.checked)
            sign_in(page, staff_user, password, at=(lambda name: self.step(page, name)) if first else None)
            self.step(page, "home")
        return page

    def _navigated(self, page, frame) -> None:
        if frame == page.main_frame:
            self.visited.append(page_key(frame.url))

    def go_to(self, page, name: str) -> None:
        """Follow the header's link to `name` (tests/browser/conftest.py), with a step on a section's own page
        on the way the first time the journey passes through it."""

        def at(section: str) -> None:
            if page_key(page.url) not in self.checked:
                self.step(page, section.lower().replace(" ", "-"))

        go_to(page, name, at=at)

    def step(self, page, name: str) -> Path:
        """Screenshot the page as it is now; the first time the journey is on a page, fail on any accessibility
        violation axe-core finds on it (each distinct page once: axe-core takes a second or so a run)."""
        self.number += 1
        page.evaluate(SETTLED)
        path = self.folder / f"{self.number:02d}-{page.role}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        key = page_key(page.url)
        if key not in self.checked:
            found = violations(page)
            assert found == [], f"{path.name} ({page.url}): " + json.dumps(found, indent=1)
            self.checked.append(key)
        return path

    def assert_every_page_checked(self) -> None:
        """Every page any person's browser loaded on the way was checked by axe-core at one of the steps."""
        unchecked = sorted(set(self.visited) - set(self.checked))
        assert self.checked and not unchecked, f"pages visited that axe-core never checked: {unchecked}"

    def console_errors(self) -> list[str]:
        return [error for page in self.pages for error in real_errors(page.console_errors)]
