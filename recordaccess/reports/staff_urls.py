"""The reports app's staff pages, relative to /staff/p/<ods>/."""

urlpatterns: list = []
