from django.urls import include, path

from recordaccess.conversations import views as conversation_views
from recordaccess.health import views as health_views
from recordaccess.intake import views as intake_views
from recordaccess.outreach import callbacks

urlpatterns = [
    path("healthz", health_views.healthz, name="healthz"),
    path("status/", health_views.status, name="status"),
    path("notify/receipts", callbacks.delivery_receipt, name="notify_receipts"),
    path("notify/inbound", callbacks.inbound_sms, name="notify_inbound"),
    path("r/<str:code>/", intake_views.reply, name="reply"),
    path("p/<str:ods>/book/<str:code>/", conversation_views.book, name="book"),
    path("staff/", include("recordaccess.practices.urls")),
    path("p/<str:ods>/", include("recordaccess.intake.urls")),
]
