"""The public questions page, under /p/<ods>/."""

app_name = "questions"

urlpatterns = []
