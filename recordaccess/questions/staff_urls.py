"""The question inbox, the call guide, the FAQ editor and the PPG log as staff use them, under /staff/p/<ods>/."""

from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.home import HomeItem, home_items
from recordaccess.practices.roles import ADMIN, PATIENT_DATA_ROLES, Role
from recordaccess.questions import views
from recordaccess.questions.selectors import (
    questions_for_clinician,
    questions_mine,
    questions_new,
    questions_overdue,
)

urlpatterns = [
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
]

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
