"""A practice's own pages under /staff/p/<ods>/: its overview, settings and DPIA, resources, staff and audit
trail (the trail is the audit app's; its page is here, above it)."""

from recordaccess.practices import audit_views, views
from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.roles import ADMIN, ALL_ROLES

urlpatterns = [
    staff_page(
        "audit/",
        audit_views.audit_search,
        "audit",
        allow=ADMIN,
        menu=[MenuItem(Menu.PRACTICE, 30, "Audit trail")],
    ),
    staff_page(
        "", views.dashboard, "dashboard", allow=ALL_ROLES, menu=[MenuItem(Menu.OVERVIEW, 10, "Overview")]
    ),
    staff_page(
        "practice/",
        views.practice,
        "practice",
        allow=ADMIN,
        menu=[MenuItem(Menu.PRACTICE, 10, "Practice and DPIA")],
    ),
    staff_page("practice/details/", views.practice_edit, "practice_edit", allow=ADMIN),
    staff_page("practice/dpia/", views.dpia_edit, "dpia_edit", allow=ADMIN),
    staff_page("practice/resources/", views.resources, "resources", allow=ADMIN),
    staff_page(
        "practice/resources/<int:resource_id>/remove/", views.resource_delete, "resource_delete", allow=ADMIN
    ),
    staff_page("staff/", views.staff_list, "staff", allow=ADMIN, menu=[MenuItem(Menu.PRACTICE, 20, "Staff")]),
    staff_page("staff/<int:user_id>/<slug:action>/", views.staff_action, "staff_action", allow=ADMIN),
    staff_page("staff/invite/", views.staff_invite, "staff_invite", allow=ADMIN),
    staff_page(
        "staff/invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        "invitation_withdraw",
        allow=ADMIN,
    ),
]

# The DPIA review's home item is assurance's (assurance/staff_urls.py): the review is done on its pages.
