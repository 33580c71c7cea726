"""The question inbox, the call guide, the FAQ editor and the PPG log as staff use them, under /staff/p/<ods>/."""

urlpatterns = []
