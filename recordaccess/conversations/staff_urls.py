"""Conversation slots and drop-ins as staff run them, under /staff/p/<ods>/."""

from recordaccess.conversations import views
from recordaccess.conversations.selectors import bookings_today
from recordaccess.practices.access import Menu, MenuItem, staff_page
from recordaccess.practices.home import HomeItem, home_items
from recordaccess.practices.roles import PATIENT_DATA_ROLES, Role

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
    # Who came and what they asked: the same people who run the slots and see their bookings.
    staff_page(
        "bookings/<int:booking_id>/attendance/",
        views.booking_attendance,
        "booking_attendance",
        allow=PATIENT_DATA_ROLES,
    ),
    staff_page("conversations/<int:slot_id>/note/", views.slot_note, "slot_note", allow=PATIENT_DATA_ROLES),
]

home_items(
    HomeItem(
        140, "bookings today", bookings_today, "staff:slots", frozenset({Role.RECEPTION}), one="booking today"
    ),
)
