"""Every error under /api/v1/ in one JSON shape, whatever raised it: our checks, Ninja's validation, an unknown
route, a wrong method, a server error.

    {"error": {"status": 422, "code": "invalid", "message": "…", "fields": [{"field": "postcode", "message": "…"}]}}
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from ninja import Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from recordaccess.core.errors import NotFound

logger = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
}
MESSAGES = {
    400: "The request could not be read.",
    401: "Send a valid API token as 'Authorization: Bearer <token>'.",
    403: "This token may not do that: it lacks the scope this operation needs.",
    404: "Not found.",
    405: "That method is not allowed here.",
    409: "That conflicts with an earlier request.",
    422: "Some values are not right.",
    429: "Too many calls with this token: wait and try again.",
    500: "Something went wrong on our side. Nothing was changed; try again later.",
}


class FieldError(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    status: int
    code: str
    message: str
    fields: list[FieldError] = []


class ErrorOut(Schema):
    """The one shape of every error."""

    error: ErrorBody

    model_config = {
        "json_schema_extra": {
            "example": {
                "error": {
                    "status": 422,
                    "code": "invalid",
                    "message": "Some values are not right.",
                    "fields": [{"field": "postcode", "message": "Enter a real postcode, like LS1 4AP"}],
                }
            }
        }
    }


class ApiError(Exception):
    """An error to answer with, raised anywhere under an operation."""

    def __init__(
        self,
        status: int,
        message: str = "",
        *,
        fields: list[tuple[str, str]] | None = None,
        headers: dict | None = None,
    ):
        self.status = status
        self.message = message or MESSAGES[status]
        self.fields = fields or []
        self.headers = headers or {}
        super().__init__(self.message)


def error_response(
    status: int,
    message: str = "",
    *,
    fields: list[tuple[str, str]] | None = None,
    headers: dict | None = None,
) -> JsonResponse:
    body = {
        "error": {
            "status": status,
            "code": CODES[status],
            "message": message or MESSAGES[status],
            "fields": [{"field": name, "message": text} for name, text in (fields or [])],
        }
    }
    response = JsonResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_name(location: list) -> str:
    """Ninja's location (`["body", "payload", "postcode"]`) as the caller's field name (`postcode`)."""
    parts = [str(p) for p in location]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        kind, rest = parts[0], parts[1:]
        if kind == "body" and rest and rest[0] == "payload":
            rest = rest[1:]
        return ".".join(rest) or kind
    return ".".join(parts)


def install(api) -> None:
    """Answer every exception an operation raises in the one shape."""

    @api.exception_handler(ApiError)
    def _ours(request: HttpRequest, exc: ApiError):
        return error_response(exc.status, exc.message, fields=exc.fields, headers=exc.headers)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError):
        fields = [(_field_name(e.get("loc", [])), str(e.get("msg", "Not valid"))) for e in exc.errors]
        return error_response(422, fields=fields)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError):
        return error_response(401, headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(AuthorizationError)
    def _forbidden(request: HttpRequest, exc: AuthorizationError):
        return error_response(403)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError):
        status = exc.status_code if exc.status_code in CODES else 400
        return error_response(status, MESSAGES[status] if status != 400 else str(exc))

    @api.exception_handler(Http404)
    def _http404(request: HttpRequest, exc: Http404):
        return error_response(404)

    @api.exception_handler(NotFound)
    def _not_found(request: HttpRequest, exc: NotFound):
        return error_response(404)

    @api.exception_handler(RequestDataTooBig)
    def _too_large(request: HttpRequest, exc: RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return error_response(400, f"The request is too large: a body may be at most {limit:,} bytes.")

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception):
        logger.exception("API operation failed: %s %s", request.method, request.path)
        return error_response(500)
