"""An organisation's pages, relative to /staff/o/<code>/: for its observers only (`OrganisationAccess.OBSERVER`:
signed in with two-factor and an observer of this organisation, else 404). Counts and statuses only."""

from recordaccess.practices.access import MenuItem, OrganisationAccess, OrganisationMenu, staff_page
from recordaccess.reports import org_views

OBSERVER = OrganisationAccess.OBSERVER

urlpatterns = [
    # Every practice of the organisation side by side, with the totals: aggregate figures only.
    staff_page(
        "",
        org_views.organisation,
        "organisation",
        allow=OBSERVER,
        menu=[MenuItem(OrganisationMenu.PRACTICES, 10, "Practices")],
    ),
    staff_page("practices.csv", org_views.organisation_csv, "organisation_csv", allow=OBSERVER),
    # One practice's figures: a practice outside the organisation is not found.
    staff_page("p/<str:ods>/", org_views.organisation_practice, "organisation_practice", allow=OBSERVER),
    staff_page(
        "p/<str:ods>/programme.csv",
        org_views.organisation_practice_csv,
        "organisation_practice_csv",
        allow=OBSERVER,
    ),
    staff_page(
        "p/<str:ods>/programme/<slug:chart>.csv",
        org_views.organisation_practice_chart_csv,
        "organisation_practice_chart_csv",
        allow=OBSERVER,
    ),
    # The monthly return in the shape of NHS Digital's POMI: counts per practice.
    staff_page(
        "pomi/",
        org_views.organisation_pomi,
        "organisation_pomi",
        allow=OBSERVER,
        menu=[MenuItem(OrganisationMenu.RETURN, 10, "Monthly return")],
    ),
    staff_page("pomi.csv", org_views.organisation_pomi_csv, "organisation_pomi_csv", allow=OBSERVER),
]
