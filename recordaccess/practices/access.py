"""Who may open which staff page: declared by each app where it writes the route, enforced by one middleware.

Each app writes its staff pages in its own `staff_urls.py` with `staff_page`, which returns the URL pattern and
records the page's rule (a sign-in stage, or the roles that may open it) and any menu item it has. The project's
`recordaccess/urls.py` puts them all in the `staff` namespace. A URL in that namespace that no app declared is
refused, so a page written with a plain `path()` cannot skip the check (tests/security/test_every_page_and_operation.py
walks every staff URL as every role). Pages under /staff/p/<ods>/ also need a membership of that practice:
anyone else gets 404, which does not reveal whether the practice exists. Pages of an organisation (a PCN or an
ICB) under /staff/o/<code>/ are declared with `allow=OrganisationAccess.OBSERVER`: they need an
`OrganisationMembership` of that organisation instead (else 404 too), and they never open a practice's pages.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from urllib.parse import urlencode

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import URLPattern, get_resolver, path, reverse

from recordaccess.practices.roles import Role

NAMESPACE = "staff"


class Stage(Enum):
    """How far through sign-in a visitor must be, for pages that are not about one practice."""

    ANYONE = "anyone"
    FIRST_FACTOR = "first_factor"  # password accepted, two-factor still to do
    SIGNED_IN = "signed_in"  # password and two-factor


class OrganisationAccess(Enum):
    """The rule of an organisation's pages: signed in with two-factor and an observer of the organisation in the
    URL. Aggregate figures only; it opens none of its practices' own pages."""

    OBSERVER = "organisation_observer"


class Menu(Enum):
    """The header's sections, in the header's order. Each is one header link, to the first of its pages a role may
    open, so the header stays short enough for one line; a section with more than one such page lists them all
    in a menu of its own on each of them, so every page a role may open is reachable and no refused one shown."""

    OVERVIEW = "Overview"
    PATIENTS = "Patients"
    REQUESTS = "Requests"
    WAITING_LIST = "Waiting list"
    MESSAGES = "Messages"
    PRACTICE = "Practice"


class OrganisationMenu(Enum):
    """The header of an organisation's pages (its observers have no practice roles there)."""

    PRACTICES = "Practices"
    RETURN = "Monthly return"


@dataclass(frozen=True)
class MenuItem:
    """A page's place in a section: items are shown by position, lowest first, to the roles that may open the page."""

    menu: Menu | OrganisationMenu
    position: int
    text: str


logger = logging.getLogger(__name__)

Rule = Stage | frozenset[Role] | OrganisationAccess
_rules: dict[str, Rule] = {}
_menus: dict[Menu, dict[str, MenuItem]] = {menu: {} for menu in Menu}


def staff_page(route: str, view, name: str, *, allow: Rule, menu: Sequence[MenuItem] = ()) -> URLPattern:
    """The URL pattern of a staff page. Who may open it (for the middleware) and its menu items (for the layout)
    are recorded beside the route, so no central list can miss a page. A name declared twice must keep one rule,
    and a menu position belongs to one page."""
    view_name = f"{NAMESPACE}:{name}"
    if _rules.setdefault(view_name, allow) != allow:
        raise ImproperlyConfigured(f"{view_name} is declared with two different access rules")
    for item in menu:
        items = _menus.setdefault(item.menu, {})
        for other, placed in items.items():
            if placed.position == item.position and other != view_name:
                raise ImproperlyConfigured(
                    f"{view_name} and {other} share position {item.position} in {item.menu}"
                )
        items[view_name] = item
    return path(route, view, name=name)


def access_rules() -> MappingProxyType:
    """Every staff page's rule, by view name, once the URL configuration has declared them all."""
    get_resolver().url_patterns  # noqa: B018 - importing the URL configuration is what declares the pages
    return MappingProxyType(_rules)


def menu_items(menu: Menu) -> list[MenuItem]:
    """A section's items in order, whoever may open them."""
    return sorted(_menus[menu].values(), key=lambda item: item.position)


def allows(view_name: str, role: Role) -> bool:
    """Whether a role may open a practice's page; sign-in stages are not about roles, so they answer no."""
    rule = _rules.get(view_name)
    return isinstance(rule, frozenset) and role in rule


def _links(menu: Menu, role: Role, ods: str, current: str) -> list[dict]:
    items = sorted(_menus[menu].items(), key=lambda declared: declared[1].position)
    return [
        {"text": item.text, "href": reverse(name, kwargs={"ods": ods}), "current": name == current}
        for name, item in items
        if allows(name, role)
    ]


def navigation(role: Role, ods: str, current: str) -> tuple[list[dict], list[dict]]:
    """The header's links (one a section) and the menu of the section being shown (empty when it has one page)."""
    header, section = [], []
    for menu in Menu:
        links = _links(menu, role, ods, current)
        if not links:
            continue
        inside = any(link["current"] for link in links)
        header.append({"text": menu.value, "href": links[0]["href"], "current": links[0]["current"]})
        header[-1]["active"] = inside
        if inside and len(links) > 1:
            section = links
    return header, section


def organisation_navigation(code: str, current: str) -> list[dict]:
    """The header of an organisation's pages: one link a section, to its first page."""
    header = []
    for menu in OrganisationMenu:
        items = sorted(_menus.get(menu, {}).items(), key=lambda declared: declared[1].position)
        names = [name for name, _ in items if _rules.get(name) is OrganisationAccess.OBSERVER]
        if names:
            href = reverse(names[0], kwargs={"code": code})
            inside = current in names
            header.append(
                {"text": menu.value, "href": href, "current": current == names[0], "active": inside}
            )
    return header


def _refused(request: HttpRequest):
    return render(request, "practices/refused.jinja", status=403)


def _sign_in_redirect(request: HttpRequest):
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('staff:sign_in')}?{query}")


def _second_factor_redirect(request: HttpRequest):
    from django_otp import user_has_device

    target = "staff:verify" if user_has_device(request.user) else "staff:enrol"
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse(target)}?{query}")


class StaffAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or NAMESPACE not in match.namespaces:
            return None
        rule = _rules.get(match.view_name)
        if rule is None:
            logger.error("%s was declared by no app (see staff_page): refused", match.view_name)
            return _refused(request)
        if rule is Stage.ANYONE:
            return None
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return _sign_in_redirect(request)
        if rule is Stage.FIRST_FACTOR:
            return None
        if not user.is_verified():
            return _second_factor_redirect(request)
        if rule is Stage.SIGNED_IN:
            return None
        if rule is OrganisationAccess.OBSERVER:
            from recordaccess.practices.selectors import organisation_membership_for

            observer = organisation_membership_for(user, view_kwargs.get("code", ""))
            if observer is None:
                raise Http404("No such organisation")
            request.organisation = observer.organisation
            return None
        from recordaccess.practices.selectors import membership_for

        membership = membership_for(user, view_kwargs.get("ods", ""))
        if membership is None:
            raise Http404("No such practice")
        request.practice = membership.practice
        request.membership = membership
        if Role(membership.role) not in rule:
            return _refused(request)
        return None


def layout_context(request: HttpRequest) -> dict:
    """What every page's layout needs: the CSP nonce, and for staff the practice and their navigation."""
    # str() makes the nonce now: django-csp's lazy nonce is falsy until used, and the layout tests it.
    nonce = getattr(request, "csp_nonce", None)
    context = {"cspNonce": str(nonce) if nonce is not None else ""}
    membership = getattr(request, "membership", None)
    organisation = getattr(request, "organisation", None)
    if organisation is not None:
        current = request.resolver_match.view_name if request.resolver_match else ""
        context.update(
            organisation=organisation,
            staff_navigation=organisation_navigation(organisation.code, current),
            section_navigation=[],
        )
    elif membership is not None:
        role = Role(membership.role)
        current = request.resolver_match.view_name if request.resolver_match else ""
        header, section = navigation(role, membership.practice.ods_code, current)
        context.update(
            practice=membership.practice,
            membership=membership,
            staff_navigation=header,
            section_navigation=section,
            may_open=lambda view_name: allows(view_name, role),
        )
    return context


def pages_lost(current: Role, new: Role) -> list[str]:
    """The staff menu's pages a role change takes away, by their menu names: what a person is told before they
    change their own role, so nobody locks themselves out by surprise."""
    items = [
        declared for menu in Menu for declared in sorted(_menus[menu].items(), key=lambda d: d[1].position)
    ]
    return [item.text for name, item in items if allows(name, current) and not allows(name, new)]
