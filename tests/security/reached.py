"""A middleware the access walks put just inside the staff access middleware: when the access rules let a request
through, it answers in the view's place, so a walk of every page as every role, by GET and by POST, proves who
gets in without running (or changing anything through) the views themselves. Every view is run for real
elsewhere: tests/test_every_url.py and each app's own tests."""

from django.http import HttpResponse

REACHED = "X-Reached-View"


class ReachedTheView:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        return HttpResponse("reached", headers={REACHED: match.view_name if match else ""})
