"""The question inbox, the call guide, the FAQ editor and the PPG log as staff use them, under /staff/p/<ods>/."""

from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.roles import ADMIN, PATIENT_DATA_ROLES
from recordaccess.questions import faq_views

urlpatterns = [
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
