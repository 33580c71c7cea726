"""The DPIA step by step, under /staff/p/<ods>/dpia/. The practice's staff read it (observers from the PCN or
ICB see aggregate figures only, never a practice's own pages); administrators (the practice manager, the IG
lead) change it, as they sign off the practice's DPIA record today."""

from recordaccess.assurance import (
    exclusion,
    exclusion_views,
    plan_views,
    selectors,
    sweep,
    sweep_views,
    views,
)
from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.home import HomeItem, home_items
from recordaccess.practices.roles import ADMIN, PATIENT_DATA_ROLES, Role

SWEEP_WORKERS = frozenset({Role.ADMINISTRATOR, Role.REVIEWER})

urlpatterns = [
    # Read by the practice's staff: what the practice assessed and signed off.
    staff_page(
        "dpia/",
        views.overview,
        "dpia_overview",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.PRACTICE, 15, "DPIA step by step")],
    ),
    # Changes are the administrators', on the practice's draft version.
    staff_page("dpia/new-version/", views.new_version, "dpia_new_version", allow=ADMIN),
    staff_page("dpia/consultation/add/", views.consultation_add, "dpia_consultation_add", allow=ADMIN),
    staff_page(
        "dpia/consultation/<int:consultation_id>/remove/",
        views.consultation_remove,
        "dpia_consultation_remove",
        allow=ADMIN,
    ),
    staff_page("dpia/risks/add/", views.risk_add, "dpia_risk_add", allow=ADMIN),
    staff_page("dpia/risks/defaults/", views.defaults_add, "dpia_defaults_add", allow=ADMIN),
    staff_page("dpia/risks/<int:risk_id>/", views.risk_detail, "dpia_risk", allow=PATIENT_DATA_ROLES),
    staff_page("dpia/risks/<int:risk_id>/save/", views.risk_save, "dpia_risk_save", allow=ADMIN),
    staff_page("dpia/risks/<int:risk_id>/measures/", views.measures_save, "dpia_measures_save", allow=ADMIN),
    staff_page("dpia/risks/<int:risk_id>/remove/", views.risk_remove, "dpia_risk_remove", allow=ADMIN),
    staff_page(
        "dpia/versions/<int:version>/", views.version_detail, "dpia_version", allow=PATIENT_DATA_ROLES
    ),
    # The pack for the ICO is the administrators' to send; its download is audited.
    staff_page(
        "dpia/versions/<int:version>/consultation-pack.pdf",
        views.consultation_pack,
        "dpia_consultation_pack",
        allow=ADMIN,
    ),
    staff_page("dpia/<slug:part>/", views.step, "dpia_step", allow=PATIENT_DATA_ROLES),
    staff_page("dpia/<slug:part>/save/", views.step_save, "dpia_save", allow=ADMIN),
    # The weekly safety sweep (helper F's block): administrators and reviewers work it, reception read it;
    # observers never open it (it names patients).
    staff_page(
        "sweeps/",
        sweep_views.sweep_list,
        "sweeps",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.PRACTICE, 17, "Weekly safety sweep")],
    ),
    staff_page("sweeps/generate/", sweep_views.sweep_generate, "sweep_generate", allow=SWEEP_WORKERS),
    staff_page("sweeps/<int:sweep_id>/", sweep_views.sweep_detail, "sweep", allow=PATIENT_DATA_ROLES),
    staff_page(
        "sweeps/<int:sweep_id>/patients/<int:entry_id>/",
        sweep_views.sweep_entry,
        "sweep_entry",
        allow=PATIENT_DATA_ROLES,
    ),
    staff_page(
        "sweeps/<int:sweep_id>/sign-off/", sweep_views.sweep_sign_off, "sweep_sign_off", allow=SWEEP_WORKERS
    ),
    # The exclusion watch (helper F): counts only, read by the practice's staff.
    staff_page(
        "exclusion/",
        exclusion_views.exclusion_watch,
        "exclusion_watch",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.PRACTICE, 18, "Patients held back")],
    ),
]

# The practice plan (plan_views.py): read by the practice's staff, written, approved and shared by its
# administrators; its files (the plan, the DPIA, the readiness checklist, the sweep record) for those who read it.
urlpatterns += [
    staff_page(
        "plan/",
        plan_views.overview,
        "plan",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.PRACTICE, 16, "Practice plan")],
    ),
    staff_page("plan/approve/", plan_views.approve, "plan_approve", allow=ADMIN),
    staff_page("plan/share/", plan_views.share, "plan_share", allow=ADMIN),
    staff_page("plan/export/<slug:fmt>/", plan_views.download, "plan_export", allow=PATIENT_DATA_ROLES),
    staff_page(
        "plan/versions/<int:plan_version>/",
        plan_views.version_detail,
        "plan_version",
        allow=PATIENT_DATA_ROLES,
    ),
    staff_page(
        "plan/versions/<int:plan_version>/export/<slug:fmt>/",
        plan_views.version_download,
        "plan_version_export",
        allow=PATIENT_DATA_ROLES,
    ),
    staff_page("plan/<slug:section>/", plan_views.section, "plan_section", allow=PATIENT_DATA_ROLES),
    staff_page("plan/<slug:section>/save/", plan_views.section_save, "plan_save", allow=ADMIN),
]

home_items(
    # Moved here from practices: the review is done through these pages now.
    HomeItem(
        30,
        "DPIA reviews due",
        selectors.dpia_review_due,
        "staff:dpia_overview",
        ADMIN,
        one="DPIA review due or past",
    ),
    HomeItem(
        31,
        "changes of approach since the DPIA was signed off",
        selectors.approach_changed_since_sign_off,
        "staff:dpia_overview",
        ADMIN,
        one="change of approach since the DPIA was signed off",
    ),
    # The weekly safety sweep (helper F): overdue when not signed off a week after its week began.
    HomeItem(
        37,
        "weekly safety sweeps overdue",
        sweep.overdue,
        "staff:sweeps",
        SWEEP_WORKERS,
        one="weekly safety sweep overdue",
    ),
    HomeItem(
        38,
        "warnings about the share of patients held back",
        exclusion.warnings_count,
        "staff:exclusion_watch",
        ADMIN,
        one="warning: the share of patients held back needs an action plan",
    ),
)
