"""How large a request may be, checked from its declared length before anything reads its body.

Django refuses a plain form or a JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE before reading it, but not the files
of a multipart form: a file of any size is written to a temporary file as soon as anything reads the form, and
the first middlewares read every POST's form (the unstorable-input check, the CSRF check). A form's own size
check comes after the whole file is on disk. So a multipart body may be at most DATA_UPLOAD_MAX_MEMORY_SIZE at
every address but a view marked `accepts_upload`, which takes its own setting's bytes and a little for the form's
other fields. Anything larger is refused by its Content-Length before a byte of it is read, with a message saying
how large a file the page takes (413; in the API's one JSON shape under /api/). A body sent without a length is
not read at all (Django reads none of it).
The form's own check (`check_size`) then gives the same words beside the field for a file just over the limit.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from recordaccess.core.errors import early_refusal

# A form's other fields and the multipart boundaries around its file.
FORM_ALLOWANCE = 64 * 1024


def accepts_upload(setting: str):
    """Marks a view (outermost decorator) as taking a file of up to `settings.<setting>` bytes."""

    def mark(view):
        view.upload_limit_setting = setting
        return view

    return mark


def in_words(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{round(megabytes, 1):g} MB" if megabytes >= 1 else f"{round(size / 1024, 1):g} KB"


def check_size(upload, setting: str) -> str:
    """The form's words for a file over its page's limit, or '' when it is within it."""
    limit = getattr(settings, setting)
    return f"The file must be {in_words(limit)} or smaller" if upload.size > limit else ""


def _allowed(request: HttpRequest) -> tuple[int, int]:
    """The largest body the address takes, and the largest file (0 where it takes none)."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        view = None
    setting = getattr(view, "upload_limit_setting", None)
    if setting is None:
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE, 0
    file_limit = getattr(settings, setting)
    return file_limit + FORM_ALLOWANCE, file_limit


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads nothing of a body whose length it cannot read
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE and request.content_type == "multipart/form-data":
            body_limit, file_limit = _allowed(request)
            if length > body_limit:
                return _too_large(request, body_limit, file_limit)
        return self.get_response(request)


def _too_large(request: HttpRequest, body_limit: int, file_limit: int) -> HttpResponse:
    if file_limit:
        message = f"The file is too large: this page takes a file of {in_words(file_limit)} or smaller."
    else:
        message = f"The request is too large: a body may be at most {body_limit:,} bytes."
    return early_refusal(
        request, 413, "too_large", message, "Nothing was read or saved. Go back and choose a smaller file."
    )
