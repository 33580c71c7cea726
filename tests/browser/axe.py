"""axe-core, pinned in package.json and installed by `make install`, run in Chromium against the WCAG 2.2 A and
AA rules. Injected as a script tag, so the page's context must bypass our Content Security Policy."""

import json
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page) -> list[dict]:
    """What axe-core finds on the page as it is now, in short: the rule, its help and where."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run make install")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))",
        WCAG,
    )


def accessible(page):
    """Fail with axe-core's violations on the page as it is now, if any."""
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)
    if hasattr(page, "checked"):
        page.checked.append(page.url)
