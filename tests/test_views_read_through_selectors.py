"""Views read through selectors: a view that queries a model itself could forget the practice scoping.

Every query lives in its app's `selectors.py`, where it is written once, scoped once and tested once. This test
parses every view module and fails on `<Model>.objects` and on `get_object_or_404`/`get_list_or_404`, naming the
file and line, so the rule holds without anyone having to remember it.
"""

import ast
from pathlib import Path

import recordaccess

PACKAGE = Path(recordaccess.__file__).parent
VIEW_MODULES = {
    "views.py",
    "staff_views.py",
    "audit_views.py",
    "callbacks.py",
    "public_views.py",
    "faq_views.py",
    "ppg_views.py",
    "figures_views.py",
    "plan_views.py",
    "sweep_views.py",
    "exclusion_views.py",
    "org_views.py",
    "pomi_views.py",
}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def view_modules() -> list[Path]:
    """Every module that answers a request: named for views (`views.py`, `staff_views.py`, `audit_views.py`…)
    or Notify's callbacks."""
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name.endswith("views.py") or p.name == "callbacks.py")


def direct_reads(path: Path) -> list[str]:
    """Each `<Name>.objects` and each call of a shortcut that fetches by itself, as 'file:line what'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
            found.append((node.lineno, f"{node.value.id}.objects"))
        elif isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called in SHORTCUTS:
                found.append((node.lineno, f"{called}()"))
    where = path.relative_to(PACKAGE.parent)
    return [f"{where}:{line} {what}" for line, what in sorted(found)]


def test_the_view_modules_are_found():
    names = {p.name for p in view_modules()}
    assert names == VIEW_MODULES


def test_views_query_models_only_through_selectors():
    offences = [offence for path in view_modules() for offence in direct_reads(path)]
    assert offences == [], "Move these queries to the app's selectors.py:\n" + "\n".join(offences)
