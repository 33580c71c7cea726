"""Access requests as staff see them, under /staff/p/<ods>/: the list, capturing a request, matching it to a
patient, checking identity and proxies."""

from recordaccess.intake import staff_views as views
from recordaccess.intake.selectors import identities_to_check, requests_to_match
from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.home import HomeItem, home_items
from recordaccess.practices.roles import PATIENT_DATA_ROLES, Role

urlpatterns = [
    staff_page(
        "requests/",
        views.request_list,
        "requests",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.REQUESTS, 10, "Requests")],
    ),
    staff_page("requests/new/", views.request_new, "request_new", allow=PATIENT_DATA_ROLES),
    staff_page(
        "patients/<int:patient_id>/request/",
        views.request_capture,
        "request_capture",
        allow=PATIENT_DATA_ROLES,
    ),
    staff_page("requests/paper-form.pdf", views.paper_form, "request_paper_form", allow=PATIENT_DATA_ROLES),
    staff_page("requests/<int:request_id>/", views.request_detail, "request", allow=PATIENT_DATA_ROLES),
    staff_page(
        "requests/<int:request_id>/match/", views.request_match, "request_match", allow=PATIENT_DATA_ROLES
    ),
    staff_page(
        "requests/<int:request_id>/identity/",
        views.request_identity,
        "request_identity",
        allow=PATIENT_DATA_ROLES,
    ),
    staff_page(
        "requests/<int:request_id>/move/", views.request_move, "request_move", allow=PATIENT_DATA_ROLES
    ),
    staff_page(
        "requests/<int:request_id>/identity/<int:check_id>/document",
        views.identity_document,
        "identity_document",
        allow=PATIENT_DATA_ROLES,
    ),
    staff_page(
        "requests/<int:request_id>/proxy/", views.request_proxy, "request_proxy", allow=PATIENT_DATA_ROLES
    ),
]

RECEPTION = frozenset({Role.RECEPTION})

home_items(
    HomeItem(
        110,
        "requests to match",
        requests_to_match,
        "staff:requests",
        RECEPTION,
        query="show=needs_matching",
        one="request to match",
    ),
    HomeItem(
        120,
        "identities to check",
        identities_to_check,
        "staff:requests",
        RECEPTION,
        query="show=matched",
        one="identity to check",
    ),
)
