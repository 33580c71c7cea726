"""The audit trail's page of a practice, under /staff/p/<ods>/."""

from recordaccess.audit import views
from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.roles import ADMIN

urlpatterns = [
    staff_page(
        "audit/", views.audit_search, "audit", allow=ADMIN, menu=[MenuItem(Menu.STAFF, 120, "Audit trail")]
    ),
]
