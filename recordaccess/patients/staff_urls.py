"""The patients' pages of a practice, under /staff/p/<ods>/: search, flags, communication needs, cohorts and the
register import."""

from recordaccess.patients import views
from recordaccess.patients.selectors import failed_imports
from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.home import HomeItem, home_items
from recordaccess.practices.roles import ADMIN, PATIENT_DATA_ROLES, Role

# Adding or ending a flag changes who needs enhanced review: a clinician's call, or the practice manager's (who
# runs the weekly import and corrects what it brought in error). Reception see flags but do not change them.
FLAG_EDITORS = frozenset({Role.ADMINISTRATOR, Role.REVIEWER})

urlpatterns = [
    staff_page(
        "patients/",
        views.patient_search,
        "patients",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.PATIENTS, 10, "Patients")],
    ),
    staff_page("patients/<int:patient_id>/", views.patient_detail, "patient", allow=PATIENT_DATA_ROLES),
    # Braille and BSL: no letter is sent, staff contact them.
    staff_page(
        "patients/communication/",
        views.communication_worklist,
        "communication_worklist",
        allow=PATIENT_DATA_ROLES,
    ),
    staff_page(
        "patients/communication/<int:patient_id>/told/",
        views.communication_told,
        "communication_told",
        allow=PATIENT_DATA_ROLES,
    ),
    staff_page(
        "patients/<int:patient_id>/flags/", views.patient_flag_add, "patient_flag_add", allow=FLAG_EDITORS
    ),
    staff_page(
        "patients/<int:patient_id>/flags/<int:flag_id>/end/",
        views.patient_flag_end,
        "patient_flag_end",
        allow=FLAG_EDITORS,
    ),
    staff_page(
        "cohorts/",
        views.cohort_list,
        "cohorts",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.PATIENTS, 20, "Cohorts")],
    ),
    staff_page("cohorts/new/", views.cohort_edit, "cohort_new", allow=PATIENT_DATA_ROLES),
    staff_page("cohorts/count/", views.cohort_count, "cohort_count", allow=PATIENT_DATA_ROLES),
    staff_page("cohorts/<int:cohort_id>/", views.cohort_edit, "cohort", allow=PATIENT_DATA_ROLES),
    staff_page(
        "cohorts/<int:cohort_id>/patients/", views.cohort_members, "cohort_members", allow=PATIENT_DATA_ROLES
    ),
    staff_page(
        "cohorts/<int:cohort_id>/delete/", views.cohort_delete, "cohort_delete", allow=PATIENT_DATA_ROLES
    ),
    staff_page(
        "register/",
        views.register_upload,
        "register",
        allow=ADMIN,
        menu=[MenuItem(Menu.PATIENTS, 30, "Register")],
    ),
    staff_page("register/<int:import_id>/", views.register_import, "register_import", allow=ADMIN),
    staff_page(
        "register/<int:import_id>/status/",
        views.register_import_status,
        "register_import_status",
        allow=ADMIN,
    ),
    # The clinical system's export of patients registered for online services: the weekly sweep's new accounts.
    staff_page(
        "online-accounts/",
        views.online_accounts,
        "online_accounts",
        allow=ADMIN,
        menu=[MenuItem(Menu.PATIENTS, 35, "Online accounts")],
    ),
    staff_page(
        "online-accounts/<int:online_import_id>/",
        views.online_accounts_import,
        "online_accounts_import",
        allow=ADMIN,
    ),
    staff_page(
        "register/<int:import_id>/problems.csv",
        views.register_import_report,
        "register_import_report",
        allow=ADMIN,
    ),
]

home_items(
    HomeItem(
        40,
        "register imports that failed",
        failed_imports,
        "staff:register",
        ADMIN,
        one="register import that failed",
    ),
)
