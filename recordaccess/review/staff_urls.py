"""The waiting list and what grows from it, under /staff/p/<ods>/: review, decisions, coding, redactions and
capacity."""

from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.home import HomeItem, home_items
from recordaccess.practices.roles import ADMIN, ALL_ROLES, PATIENT_DATA_ROLES, Role
from recordaccess.review import views
from recordaccess.review.selectors import claimed_by, oldest_waiting_days, past_target, waiting

urlpatterns = [
    staff_page(
        "waiting-list/",
        views.waiting_list,
        "waiting_list",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.WAITING_LIST, 10, "Waiting list")],
    ),
    staff_page("requests/<int:request_id>/need/", views.mark_need, "request_need", allow=PATIENT_DATA_ROLES),
    staff_page(
        "waiting-list/settings/",
        views.policy_edit,
        "waiting_policy",
        allow=ADMIN,
        menu=[MenuItem(Menu.WAITING_LIST, 50, "Settings")],
    ),
    # Review: any staff member with patient data may claim and decide; review/checklist.py keeps flagged,
    # full-record and proxy requests to reviewers, whatever the page lets in.
    staff_page("requests/<int:request_id>/review/", views.review, "review", allow=PATIENT_DATA_ROLES),
    staff_page(
        "requests/<int:request_id>/review/claim/", views.claim, "review_claim", allow=PATIENT_DATA_ROLES
    ),
    staff_page(
        "requests/<int:request_id>/review/release/", views.release, "review_release", allow=PATIENT_DATA_ROLES
    ),
    staff_page(
        "requests/<int:request_id>/review/checklist/",
        views.save_checklist,
        "review_checklist",
        allow=PATIENT_DATA_ROLES,
    ),
    staff_page(
        "requests/<int:request_id>/review/decide/", views.decide, "review_decide", allow=PATIENT_DATA_ROLES
    ),
    staff_page(
        "coding/",
        views.coding_page,
        "coding",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.WAITING_LIST, 20, "Coding worklist")],
    ),
    staff_page("coding/export/", views.coding_export, "coding_export", allow=PATIENT_DATA_ROLES),
    staff_page(
        "coding/<int:export_id>/confirm/", views.coding_confirm, "coding_confirm", allow=PATIENT_DATA_ROLES
    ),
    staff_page(
        "redactions/<int:decision_id>/done/", views.redaction_done, "redaction_done", allow=PATIENT_DATA_ROLES
    ),
    staff_page(
        "capacity/",
        views.capacity_page,
        "capacity",
        allow=ALL_ROLES,  # aggregate figures only
        menu=[MenuItem(Menu.WAITING_LIST, 40, "Capacity")],
    ),
]

REVIEWER = frozenset({Role.REVIEWER})
OBSERVER = frozenset({Role.OBSERVER})

home_items(
    HomeItem(
        210,
        "requests you have claimed",
        claimed_by,
        "staff:waiting_list",
        REVIEWER,
        one="request you have claimed",
    ),
    HomeItem(
        220,
        "days the oldest request has waited",
        oldest_waiting_days,
        "staff:waiting_list",
        REVIEWER,
        one="day the oldest request has waited",
    ),
    HomeItem(
        230,
        "requests past the target",
        past_target,
        "staff:waiting_list",
        REVIEWER,
        query="show=past_target",
        one="request past the target",
    ),
    # Observers: figures only, and the page of figures they may open.
    HomeItem(310, "requests waiting", waiting, "staff:capacity", OBSERVER, one="request waiting"),
    HomeItem(
        320,
        "requests past the target",
        past_target,
        "staff:capacity",
        OBSERVER,
        one="request past the target",
    ),
)
