from django.urls import path

from recordaccess.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.start, name="start"),
    path("online-access/", views.notice, name="notice"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("request/check/", views.request_check, name="request_check"),
    path("request/sent/", views.request_done, name="request_done"),
    path("request/progress/", views.request_status, name="request_status"),
    path("request/nhs-login/", views.nhs_login_start, name="nhs_login_start"),
    path("request/nhs-login/return/", views.nhs_login_return, name="nhs_login_return"),
    path("request/<slug:step>/", views.request_step, name="request_step"),
]
