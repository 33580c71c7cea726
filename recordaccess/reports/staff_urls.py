"""The reports app's staff pages, relative to /staff/p/<ods>/."""

from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.roles import ADMIN
from recordaccess.reports import views

urlpatterns = [
    # The practice's monthly return (POMI): counts its administrators send or check, as the ICB's return shows.
    staff_page(
        "pomi/",
        views.practice_pomi,
        "pomi",
        allow=ADMIN,
        menu=[MenuItem(Menu.PRACTICE, 32, "Monthly return")],
    ),
    staff_page("pomi.csv", views.practice_pomi_csv, "pomi_csv", allow=ADMIN),
]
