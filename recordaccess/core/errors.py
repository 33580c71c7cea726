"""One kind of error for a refusal a person should read, and the one place views turn it into a response.

A service that refuses (a request cannot move on, a template has a gap, a slot is full) raises a DomainError
with the words to show. It never knows about pages: the view says where its refusals go (`refusals_go_to`),
the middleware below shows the message there, and `show_on_form` puts the words on a form for the error
summary when the page shows the form again.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse


class DomainError(ValueError):
    """A refusal in plain words. `errors` pairs each message with the form field it is about (None for the
    page as a whole), so a form can show each beside its question."""

    def __init__(self, message: str = "", errors: list[tuple[str | None, str]] | None = None):
        self.errors = list(errors) if errors is not None else [(None, message)]
        super().__init__(message or "; ".join(text for _, text in self.errors))


class NotFound(DomainError, LookupError):
    """Nothing of this practice's by that id: the same 404 whether it never existed or is another practice's."""


def show_on_form(form, error: DomainError, field: str | None = None) -> None:
    """Put a refusal's message(s) on the form, for the NHS error summary: each beside its own field when the
    form has it, else beside `field`, else at the top."""
    for name, message in error.errors:
        chosen = name if name in form.fields else field
        form.add_error(chosen, message)


def refusals_go_to(url_name: str, *kwarg_names: str, query: str = ""):
    """Declare where a view's refusals are shown: the page `url_name`, filled from the view's own URL
    arguments (`ods` always), with the message on top. The view then lets its service's DomainError rise."""

    def declare(view):
        view.refusals_go_to = (url_name, ("ods", *kwarg_names), query)
        return view

    return declare


def _declared(view):
    """The view's declaration, looked for through any decorators that wrap it."""
    while view is not None:
        if hasattr(view, "refusals_go_to"):
            return view.refusals_go_to
        view = getattr(view, "__wrapped__", None)
    return None


class DomainErrorMiddleware:
    """Turns a DomainError no view caught into what the person sees: not found is a 404; a refusal goes to
    the page its view declared, with the message. Anything else (a view that declared nothing) is left to
    Django as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(str(exception)) from exception
        if not isinstance(exception, DomainError) or request.resolver_match is None:
            return None
        declared = _declared(request.resolver_match.func)
        if declared is None:
            return None
        url_name, names, query = declared
        given = request.resolver_match.kwargs
        messages.error(request, str(exception))
        return redirect(reverse(url_name, kwargs={n: given[n] for n in names if n in given}) + query)


DATABASE_AWAY = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sorry, the service is not available for a moment</title></head>
<body style="font-family: Arial, sans-serif; color: #212b32; max-width: 40em; margin: 2em auto; padding: 0 1em">
<h1>Sorry, the service is not available for a moment</h1>
<p>It is starting up again by itself. Please try again in a minute.</p>
<p>Anything you have already sent has been kept. If you were part-way through a form, your answers so far may need
to be given again.</p>
</body></html>
"""


def server_error(request):
    """handler500: the database gone for a moment (restarting, failing over) is a 503 with Retry-After saying so
    in plain words, with nothing read from the database to say it, not a server error a person cannot act on
    (H126). Anything else is Django's own 500."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.views.defaults import server_error as django_server_error

    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = HttpResponse(DATABASE_AWAY, status=503)
        response["Retry-After"] = "30"
        return response
    return django_server_error(request)


# Answers sent before the middleware that adds the page headers (CSP, frame options) has run: plain text, so it
# gets a policy that allows nothing at all.
EARLY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
}


def early_refusal(request, status: int, code: str, message: str, advice: str, said: str = ""):
    """A request refused by a middleware before any view: in the API's one JSON shape under /api/
    (recordaccess/api/errors.py), else plain words (`said`, or the message) with what to do, and headers that let
    nothing run or frame it."""
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"error": {"status": status, "code": code, "message": message, "fields": []}}, status=status
        )
    else:
        response = HttpResponse(
            f"{said or message} {advice}\n", status=status, content_type="text/plain; charset=utf-8"
        )
    for header, value in EARLY_HEADERS.items():
        response.headers.setdefault(header, value)
    return response
