"""Conversation slots and drop-ins as staff run them, under /staff/p/<ods>/."""

from recordaccess.conversations import views
from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.roles import PATIENT_DATA_ROLES

urlpatterns = [
    staff_page(
        "conversations/",
        views.slots,
        "slots",
        allow=PATIENT_DATA_ROLES,
        menu=[MenuItem(Menu.WAITING_LIST, 30, "Conversations and drop-ins")],
    ),
    staff_page("conversations/<int:slot_id>/", views.slot_detail, "slot", allow=PATIENT_DATA_ROLES),
    staff_page("conversations/<int:slot_id>/book/", views.slot_book, "slot_book", allow=PATIENT_DATA_ROLES),
    staff_page(
        "bookings/<int:booking_id>/cancel/", views.booking_cancel, "booking_cancel", allow=PATIENT_DATA_ROLES
    ),
]
