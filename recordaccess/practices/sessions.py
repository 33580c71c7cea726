"""Sessions are written only when they change (H44), except a signed-in member's: staff sessions end after 30
idle minutes, so each of their requests writes the session to move its end on. A patient's page view writes
nothing, so on the embedded database it never queues for SQLite's one write lock behind other patients."""

from django.contrib.auth import SESSION_KEY


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if SESSION_KEY in request.session:
            request.session.modified = True
        return response
