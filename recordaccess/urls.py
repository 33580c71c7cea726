from django.urls import include, path

from recordaccess.health import views as health_views

urlpatterns = [
    path("healthz", health_views.healthz, name="healthz"),
    path("staff/", include("recordaccess.practices.urls")),
    path("p/<str:ods>/", include("recordaccess.intake.urls")),
]
