"""The public questions page, under /p/<ods>/questions/."""

from django.urls import path

from recordaccess.questions import public_views

app_name = "questions"

urlpatterns = [
    # The questions page (helper B): answers, search, "was this helpful" and "ask us".
    path("", public_views.page, name="page"),
    path("ask/", public_views.ask, name="ask"),
    path("asked/", public_views.asked, name="asked"),
    path("<slug:slug>/", public_views.answer, name="answer"),
    path("<slug:slug>/helpful/", public_views.helpful, name="helpful"),
]
