"""The one place that knows every app's pages. Each app writes its own staff pages, with the roles that may open
each one, in its staff_urls.py; here they are put under /staff/p/<ods>/ (an organisation's under /staff/o/<code>/)
and all in the `staff` namespace."""

from django.urls import include, path

from recordaccess.conversations import views as conversation_views
from recordaccess.health import views as health_views
from recordaccess.outreach import callbacks
from recordaccess.practices.access import NAMESPACE
from recordaccess.replies import views as reply_views

# A practice's pages, each app's routes written relative to /staff/p/<ods>/.
practice_pages = [
    path("", include("recordaccess.practices.staff_urls")),
    path("", include("recordaccess.patients.staff_urls")),
    path("", include("recordaccess.outreach.staff_urls")),
    path("", include("recordaccess.intake.staff_urls")),
    path("", include("recordaccess.review.staff_urls")),
    path("", include("recordaccess.conversations.staff_urls")),
    path("", include("recordaccess.questions.staff_urls")),
    path("", include("recordaccess.assurance.staff_urls")),
    path("", include("recordaccess.reports.staff_urls")),
    path("", include("recordaccess.api.staff_urls")),
]
staff_pages = [
    path("", include("recordaccess.practices.urls")),
    path("p/<str:ods>/", include(practice_pages)),
    # An organisation's (a PCN's or an ICB's) pages, for its observers: reports' roll-up and monthly return.
    path("o/<str:code>/", include("recordaccess.reports.org_urls")),
]

urlpatterns = [
    path("healthz", health_views.healthz, name="healthz"),
    path("api/v1/", include("recordaccess.api.urls")),
    path("status/", health_views.status, name="status"),
    path("robots.txt", health_views.robots, name="robots"),
    path("notify/receipts", callbacks.delivery_receipt, name="notify_receipts"),
    path("notify/inbound", reply_views.inbound_sms, name="notify_inbound"),
    path("r/<str:code>/", reply_views.reply, name="reply"),
    path("p/<str:ods>/book/<str:code>/", conversation_views.book, name="book"),
    path("p/<str:ods>/drop-ins/", include("recordaccess.conversations.urls")),
    path("staff/", include((staff_pages, NAMESPACE))),
    path("p/<str:ods>/questions/", include("recordaccess.questions.urls")),
    path("p/<str:ods>/", include("recordaccess.intake.urls")),
]

# The database away for a moment is a 503 "try again in a minute", not a server error (core/errors.py, H126).
handler500 = "recordaccess.core.errors.server_error"
