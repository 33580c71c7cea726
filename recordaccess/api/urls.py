"""/api/v1/: the operations (each call audited, its errors in the one shape), the OpenAPI schema, a docs page
rendered on the server (no script from elsewhere, so it works under the site's CSP), and a JSON 404 for any
other address under /api/v1/."""

import functools
import re

from django.conf import settings
from django.urls import path, re_path

from recordaccess.api import services, views
from recordaccess.api.endpoints import api
from recordaccess.api.errors import error_response
from recordaccess.audit.services import Actor, record
from recordaccess.core.network import client_address
from recordaccess.outreach import ratelimit

QUOTED_PREFIX = re.compile(r"Bearer ra_([0-9a-f]{8})_")


def _audited(view, route: str):
    """Every call recorded: which token (its prefix, never the secret), method, route, status; never the body."""

    @functools.wraps(view)
    def call(request, *args, **kwargs):
        # Calls without a valid token are counted by address: past API_REFUSED_PER_MINUTE in a minute, the address
        # is answered 429 unrecorded until the minute ends, so nobody can flood the audit trail (H114). A valid
        # token from the same address (a shared network) is still served.
        refused = f"api-refused:{client_address(request) or 'unknown'}"
        limit = settings.API_REFUSED_PER_MINUTE
        if not ratelimit.left_per(refused, limit=limit, seconds=60) and not services.token_for(
            request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        ):
            return error_response(
                429,
                "Too many calls without a valid token from this address. Try again in a minute.",
                headers={"Retry-After": "60"},
            )
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            response = error_response(405, headers={"Allow": allowed} if allowed else None)
        token = getattr(request, "api_token", None)
        if token is None and response.status_code == 401:
            ratelimit.take_per(refused, 1, limit=limit, seconds=60)
        if token is not None:
            prefix, name = token.prefix, f"API token {token.name} ({token.prefix})"
        else:
            quoted = QUOTED_PREFIX.match(request.headers.get("Authorization", ""))
            prefix, name = (quoted.group(1) if quoted else ""), "API caller without a valid token"
        record(
            actor=Actor(id=None, name=name, ip_address=client_address(request) or None),
            action="api.call",
            practice_ods=token.practice.ods_code if token is not None and token.practice_id else "",
            object_type="api_token" if token is not None else "",
            object_id=token.pk if token is not None else "",
            detail={
                "token": prefix,
                "method": request.method,
                "path": "/" + route,
                "status": response.status_code,
            }
            | (
                {"organisation": token.organisation.code}
                if token is not None and token.organisation_id
                else {}
            ),
        )
        return response

    return call


def _operations():
    patterns, _app, _namespace = api.urls
    wrapped = []
    for pattern in patterns:
        if pattern.name == "openapi-json":
            wrapped.append(pattern)
            continue
        route = "api/v1/" + str(pattern.pattern)
        wrapped.append(path(str(pattern.pattern), _audited(pattern.callback, route), name=pattern.name))
    return wrapped


urlpatterns = [
    *_operations(),
    path("docs", views.docs, name="docs"),
    re_path(r"^.*$", views.not_found, name="not_found"),
]
app_name = "api"
