"""The app's URLs and the page floor's trivial view (floors.py), for timing that view through the same stack.
The app's are included by name: proving sits beside the URL root, not above it."""

from django.urls import include, path

from recordaccess.proving.floors import FLOOR_PAGE_PATH, trivial

urlpatterns = [path(FLOOR_PAGE_PATH.lstrip("/"), trivial), path("", include("recordaccess.urls"))]
