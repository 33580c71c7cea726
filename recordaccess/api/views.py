"""The API's pages: its docs (rendered from the OpenAPI schema on the server), the JSON 404 for unknown API
addresses, and administrators' page of the practice's tokens."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from recordaccess.api import selectors, services
from recordaccess.api.endpoints import api
from recordaccess.api.errors import error_response
from recordaccess.api.forms import TokenForm
from recordaccess.audit.services import Actor, record_request
from recordaccess.core.errors import show_on_form

METHODS = ("get", "post", "put", "patch", "delete")


def not_found(request: HttpRequest) -> HttpResponse:
    return error_response(404, "There is no API operation at this address.")


def _words(text: str) -> list[tuple[str, bool]]:
    """A description's text and its `code` parts, so the page shows them as code without rendering Markdown."""
    return [(part, i % 2 == 1) for i, part in enumerate(text.split("`")) if part]


def _body_fields(schema: dict, operation: dict) -> list[dict]:
    """The JSON body's fields, from the schema's component, with the values each may take."""
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    name = body.get("$ref", "").rsplit("/", 1)[-1]
    component = schema.get("components", {}).get("schemas", {}).get(name, {})
    required = set(component.get("required", []))
    fields = []
    for field, spec in component.get("properties", {}).items():
        choices = spec.get("enum") or spec.get("items", {}).get("enum") or []
        fields.append(
            {
                "name": field,
                "type": spec.get("type", ""),
                "required": field in required,
                "choices": [c for c in choices if c],
            }
        )
    return fields


def docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = [
        {
            "method": method.upper(),
            "path": address,
            "summary": operation.get("summary", ""),
            "description": _words(operation.get("description", "")),
            "parameters": [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "type": p.get("schema", {}).get("type", ""),
                }
                for p in operation.get("parameters", [])
            ],
            "body": _body_fields(schema, operation),
            "responses": sorted(operation.get("responses", {})),
        }
        for address, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    return render(request, "api/docs.jinja", {"operations": operations, "info": schema["info"]})


def tokens(request: HttpRequest, ods: str) -> HttpResponse:
    """The practice's tokens (never their secrets) and the form that makes one, whose secret is shown once."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.create_token(
                actor=Actor.from_request(request),
                practice=request.practice,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=int(form.cleaned_data["days"]),
            )
            form = TokenForm()
        except services.TokenError as error:
            show_on_form(form, error)
    record_request(request, "api_token.list", object_type="api_token")
    response = render(
        request,
        "api/tokens.jinja",
        {
            "form": form,
            "secret": secret,
            "tokens": selectors.practice_tokens(request.practice),
            "page_title": "API tokens",
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"  # the page that shows a secret once is never kept
    return response


def token_revoke(request: HttpRequest, ods: str, token_id: int) -> HttpResponse:
    """Ask to be sure, then revoke: the system using it stops working at once."""
    token = selectors.token_for_practice(request.practice, token_id)
    if token is None:
        raise Http404("No such token")
    if request.method == "POST":
        try:
            services.revoke_token(actor=Actor.from_request(request), token=token)
            messages.success(
                request, f"Token “{token.name}” ({token.prefix}) is revoked. It no longer works."
            )
        except services.TokenError as error:
            messages.error(request, str(error))
        return redirect("staff:api_tokens", ods=ods)
    return render(request, "api/token_revoke.jinja", {"token": token, "page_title": "Revoke an API token"})
