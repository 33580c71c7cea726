"""The question inbox, the call guide, the FAQ editor and the PPG log as staff use them, under /staff/p/<ods>/."""

from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.home import HomeItem, home_items
from recordaccess.practices.roles import ADMIN, ALL_ROLES, PATIENT_DATA_ROLES, Role
from recordaccess.questions import faq_views, figures_views, ppg, ppg_views, views
from recordaccess.questions.selectors import (
    questions_for_clinician,
    questions_mine,
    questions_new,
    questions_overdue,
)

urlpatterns = [
    # --- The question inbox (helper A) ---
    # Questions name patients and say what worries them: staff who see patients' details; observers never.
    staff_page(
        "inbox/",
        views.inbox,
        "inbox",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.REQUESTS, 30, "Question inbox")],
    ),
    staff_page("inbox/new/", views.new_question, "inbox_new", allow=PATIENT_DATA_ROLES),
    # How soon questions are answered is the practice's policy: its administrators set it.
    staff_page("inbox/settings/", views.settings, "inbox_settings", allow=ADMIN),
    staff_page("inbox/<int:question_id>/", views.question, "inbox_question", allow=PATIENT_DATA_ROLES),
    staff_page(
        "inbox/<int:question_id>/<slug:action>/",
        views.question_action,
        "inbox_action",
        allow=PATIENT_DATA_ROLES,
    ),
    # --- The FAQ (helper B): the call guide and the editor of the questions page's answers. ---
    # Everyone who answers patients reads the call guide; observers answer nobody.
    staff_page(
        "call-guide/",
        faq_views.call_guide,
        "call_guide",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.REQUESTS, 47, "Call guide")],
    ),
    # What the practice tells patients is the administrator's to change (an edit is audited, H80).
    staff_page(
        "questions-page/",
        faq_views.answers,
        "faq_answers",
        allow=ADMIN,
        menu=[MenuItem(Menu.PRACTICE, 47, "Questions page")],
    ),
    staff_page("questions-page/<int:answer_id>/", faq_views.edit, "faq_edit", allow=ADMIN),
    staff_page("questions-page/<int:answer_id>/restore/", faq_views.restore, "faq_restore", allow=ADMIN),
    # --- end of the FAQ's pages ---
]

# The Patient Participation Group's log and pack (questions/ppg.py). The practice's administrators (the practice
# manager, the IG lead) keep the log; the rest of its staff read it and take the pack. Observers (PCN, ICB) see
# the figures only. The log holds no patient records, but it is the practice's own business, so not theirs.
urlpatterns += [
    staff_page(
        "ppg/",
        ppg_views.ppg_log,
        "ppg",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.PRACTICE, 45, "Patient Participation Group")],
    ),
    staff_page("ppg/new/", ppg_views.meeting_new, "ppg_meeting_new", allow=ADMIN),
    staff_page("ppg/pack.pdf", ppg_views.ppg_pack, "ppg_pack", allow=PATIENT_DATA_ROLES),
    staff_page("ppg/<int:meeting_id>/", ppg_views.meeting_detail, "ppg_meeting", allow=PATIENT_DATA_ROLES),
    staff_page("ppg/<int:meeting_id>/edit/", ppg_views.meeting_edit, "ppg_meeting_edit", allow=ADMIN),
    staff_page("ppg/<int:meeting_id>/actions/new/", ppg_views.action_new, "ppg_action_new", allow=ADMIN),
    staff_page("ppg/actions/<int:action_id>/", ppg_views.action_edit, "ppg_action_edit", allow=ADMIN),
    # Counts and durations only (questions/figures.py), never a question's words or who asked: every role.
    staff_page(
        "question-figures/",
        figures_views.question_figures,
        "question_figures",
        allow=ALL_ROLES,
        menu=[MenuItem(Menu.OVERVIEW, 50, "Question figures")],
    ),
]

home_items(
    HomeItem(
        460,
        "actions overdue from PPG meetings",
        ppg.overdue_action_count,
        "staff:ppg",
        ADMIN,
        one="action overdue from PPG meetings",
    ),
)

FRONT_DESK = frozenset({Role.RECEPTION, Role.ADMINISTRATOR})
home_items(
    HomeItem(
        130,
        "new questions to pick up",
        questions_new,
        "staff:inbox",
        FRONT_DESK,
        query="show=new",
        one="new question to pick up",
    ),
    HomeItem(
        131,
        "questions assigned to me",
        questions_mine,
        "staff:inbox",
        PATIENT_DATA_ROLES,
        query="show=mine",
        one="question assigned to me",
    ),
    HomeItem(
        132,
        "questions overdue",
        questions_overdue,
        "staff:inbox",
        FRONT_DESK,
        query="show=overdue",
        one="question overdue",
    ),
    HomeItem(
        235,
        "questions passed to a clinician",
        questions_for_clinician,
        "staff:inbox",
        frozenset({Role.REVIEWER}),
        query="show=clinician",
        one="question passed to a clinician",
    ),
)
