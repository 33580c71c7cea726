from django.urls import path

from recordaccess.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.start, name="start"),
    path("online-access/", views.notice, name="notice"),
]
