"""The app's URLs and the page floor's trivial view (floors.py), for timing that view through the same stack."""

from django.urls import path

from recordaccess.proving.floors import FLOOR_PAGE_PATH, trivial
from recordaccess.urls import urlpatterns as app_urlpatterns

urlpatterns = [path(FLOOR_PAGE_PATH.lstrip("/"), trivial), *app_urlpatterns]
