"""The reports app's staff pages, relative to /staff/p/<ods>/."""

from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.roles import ADMIN, ALL_ROLES
from recordaccess.reports import pomi_views, views

urlpatterns = [
    # The practice's monthly return (POMI): counts its administrators send or check, as the ICB's return shows.
    staff_page(
        "pomi/",
        pomi_views.practice_pomi,
        "pomi",
        allow=ADMIN,
        menu=[MenuItem(Menu.PRACTICE, 32, "Monthly return")],
    ),
    staff_page("pomi.csv", pomi_views.practice_pomi_csv, "pomi_csv", allow=ADMIN),
    # Aggregate counts and durations only (reports/figures.py), never a patient: every role, observers included.
    staff_page(
        "programme/",
        views.programme,
        "programme",
        allow=ALL_ROLES,
        menu=[MenuItem(Menu.OVERVIEW, 20, "Programme dashboard")],
    ),
    staff_page("programme.csv", views.programme_csv, "programme_csv", allow=ALL_ROLES),
    staff_page(
        "programme/<slug:chart>.csv", views.programme_chart_csv, "programme_chart_csv", allow=ALL_ROLES
    ),
]
