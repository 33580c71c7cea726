"""Drop-in sessions as the public sees them, under /p/<ods>/drop-ins/: the list, booking a place, and the place's
own link (from its texts) that shows and cancels it."""

from django.urls import path

from recordaccess.conversations import views

app_name = "drop_ins"

urlpatterns = [
    path("", views.drop_in_list, name="list"),
    path("<int:slot_id>/", views.drop_in_book, name="book"),
    path("place/<str:code>/", views.drop_in_place, name="place"),
]
