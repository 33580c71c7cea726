from django.urls import include, path

from recordaccess.conversations import views as conversation_views
from recordaccess.health import views as health_views
from recordaccess.outreach import callbacks
from recordaccess.replies import views as reply_views

urlpatterns = [
    path("healthz", health_views.healthz, name="healthz"),
    path("notify/receipts", callbacks.delivery_receipt, name="notify_receipts"),
    path("notify/inbound", reply_views.inbound_sms, name="notify_inbound"),
    path("r/<str:code>/", reply_views.reply, name="reply"),
    path("p/<str:ods>/book/<str:code>/", conversation_views.book, name="book"),
    path("staff/", include("recordaccess.practices.urls")),
    path("p/<str:ods>/", include("recordaccess.intake.urls")),
]
