"""The overview's work to do: each app declares the items it adds, for the roles it serves, beside its pages.

An app's `staff_urls.py` calls `home_items(...)` the way it declares its menu items, so practices (at the bottom)
shows work it cannot import: each item is a count from the app's selectors (one cheap, indexed query, scoped to
the practice), what it counts, and the page that holds the work. A role sees an item only if it may open that page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from recordaccess.practices.access import access_rules, allows
from recordaccess.practices.roles import Role


@dataclass(frozen=True)
class HomeItem:
    """One line of work on the overview. `count` takes the practice and the staff member (for "claimed by me")."""

    position: int
    label: str  # what the count counts, read after it: "3 requests to match"
    count: Callable
    view_name: str  # a page of the practice, as "staff:<name>"
    roles: frozenset[Role]
    query: str = ""  # a filter for the page, as "show=needs_matching"
    one: str = ""  # the label when the count is 1, if it differs


_items: dict[int, HomeItem] = {}


def home_items(*items: HomeItem) -> None:
    """Declare an app's items; a position belongs to one item, so the overview's order is fixed."""
    for item in items:
        placed = _items.setdefault(item.position, item)
        if placed != item:
            raise ImproperlyConfigured(
                f"{item.label!r} and {placed.label!r} share home position {item.position}"
            )


def declared() -> list[HomeItem]:
    """Every item, once the URL configuration (which holds the declarations) is loaded."""
    access_rules()
    return [_items[position] for position in sorted(_items)]


def work_for(practice, user, role: Role) -> list[dict]:
    """The items for one role, counted now: the label, the count and the link."""
    work = []
    for item in declared():
        if role not in item.roles or not allows(item.view_name, role):
            continue
        count = item.count(practice, user)
        href = reverse(item.view_name, kwargs={"ods": practice.ods_code})
        work.append(
            {
                "count": count,
                "label": item.one if count == 1 and item.one else item.label,
                "href": f"{href}?{item.query}" if item.query else href,
            }
        )
    return work
