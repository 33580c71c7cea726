"""The project's URLs and one staff page that no app declared, as a new page would be if its author forgot."""

from django.http import HttpResponse
from django.urls import include, path

from recordaccess.urls import urlpatterns as project_urlpatterns


def undeclared(request, ods: str):
    return HttpResponse("A page nobody may open")


# After the project's own, so `staff:` names still reverse to the project's pages.
urlpatterns = [
    *project_urlpatterns,
    path("staff/p/<str:ods>/undeclared/", include(([path("", undeclared, name="undeclared")], "staff"))),
]
