"""Outreach pages of a practice, under /staff/p/<ods>/: templates, campaigns, the outbox and printed letters,
and patients' replies (their questions are answered in the question inbox, questions/)."""

from recordaccess.outreach import views
from recordaccess.outreach.selectors import (
    campaigns_awaiting_approval,
    templates_failing_rules,
)
from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.home import HomeItem, home_items
from recordaccess.practices.roles import ADMIN, PATIENT_DATA_ROLES

urlpatterns = [
    staff_page(
        "campaigns/",
        views.campaign_list,
        "campaigns",
        allow=ADMIN,
        menu=[MenuItem(Menu.MESSAGES, 10, "Campaigns")],
    ),
    staff_page("campaigns/new/", views.campaign_new, "campaign_new", allow=ADMIN),
    staff_page("campaigns/<int:campaign_id>/", views.campaign_detail, "campaign", allow=ADMIN),
    staff_page("campaigns/<int:campaign_id>/edit/", views.campaign_edit, "campaign_edit", allow=ADMIN),
    staff_page("campaigns/<int:campaign_id>/window/", views.campaign_window, "campaign_window", allow=ADMIN),
    staff_page(
        "campaigns/<int:campaign_id>/schedule/", views.campaign_schedule, "campaign_schedule", allow=ADMIN
    ),
    staff_page(
        "campaigns/<int:campaign_id>/<slug:action>/", views.campaign_action, "campaign_action", allow=ADMIN
    ),
    staff_page(
        "campaigns/<int:campaign_id>/letters/new/", views.letter_print_new, "letter_print_new", allow=ADMIN
    ),
    staff_page(
        "campaigns/<int:campaign_id>/letters/<int:print_id>/", views.letter_print, "letter_print", allow=ADMIN
    ),
    staff_page(
        "campaigns/<int:campaign_id>/letters/<int:print_id>/status",
        views.letter_print_status,
        "letter_print_status",
        allow=ADMIN,
    ),
    staff_page(
        "campaigns/<int:campaign_id>/letters/<int:print_id>/letters.pdf",
        views.letter_print_pdf,
        "letter_print_pdf",
        allow=ADMIN,
    ),
    staff_page("outbox/", views.outbox, "outbox", allow=ADMIN),
    staff_page("outbox/<int:item_id>/letter.pdf", views.outbox_letter, "outbox_letter", allow=ADMIN),
    staff_page(
        "replies/",
        views.reply_list,
        "replies",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.MESSAGES, 30, "Replies")],
    ),
    staff_page(
        "templates/",
        views.template_list,
        "templates",
        allow=ADMIN,
        menu=[MenuItem(Menu.MESSAGES, 20, "Templates")],
    ),
    staff_page("templates/install/", views.template_install, "template_install", allow=ADMIN),
    staff_page("templates/<int:template_id>/", views.template_edit, "template", allow=ADMIN),
    staff_page("templates/<int:template_id>/use/", views.template_use, "template_use", allow=ADMIN),
    staff_page(
        "templates/<int:template_id>/letter.pdf", views.template_letter, "template_letter", allow=ADMIN
    ),
    staff_page(
        "templates/<int:template_id>/poster.pdf", views.template_poster, "template_poster", allow=ADMIN
    ),
    staff_page("templates/<int:template_id>/length", views.template_length, "template_length", allow=ADMIN),
    staff_page(
        "templates/<int:template_id>/approve/", views.template_approve, "template_approve", allow=ADMIN
    ),
]

home_items(
    HomeItem(
        10,
        "campaigns awaiting a second approval",
        campaigns_awaiting_approval,
        "staff:campaigns",
        ADMIN,
        one="campaign awaiting a second approval",
    ),
    HomeItem(
        20,
        "templates failing the content rules",
        templates_failing_rules,
        "staff:templates",
        ADMIN,
        one="template failing the content rules",
    ),
)
