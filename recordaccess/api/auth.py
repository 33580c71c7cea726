"""Who is calling: the bearer token, its rate limit, its scopes and the practice or organisation it is for.

Unknown, mistyped, expired and revoked tokens get the same 401. A practice path that is not the token's own
practice gets the same 404 as a practice that does not exist, so a token learns nothing of another practice
(H111); so does an organisation's path for a practice's token and the other way round.
"""

import math

from django.conf import settings
from django.utils import timezone
from ninja.security import HttpBearer

from recordaccess.api import services
from recordaccess.api.errors import ApiError
from recordaccess.api.models import ApiToken, Scope
from recordaccess.outreach import ratelimit
from recordaccess.outreach.models import SendAllowance

RATE_WINDOW_SECONDS = 60


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str) -> ApiToken | None:
        found = services.token_for(token)
        if found is None:
            return None
        request.api_token = found
        now = timezone.now()
        limit = settings.API_RATE_LIMIT_PER_MINUTE
        key = f"api:{found.prefix}"
        window = ratelimit.window_per(RATE_WINDOW_SECONDS, now)
        # Past minutes' counts are no use: forget them, so a busy token keeps one row, not one a minute.
        SendAllowance.objects.filter(key=key, window__lt=window).delete()
        if not ratelimit.take_per(key, 1, limit=limit, seconds=RATE_WINDOW_SECONDS, now=now):
            wait = RATE_WINDOW_SECONDS - (now - window).total_seconds()
            raise ApiError(
                429,
                f"This token may make {limit} calls a minute. Try again in {math.ceil(wait)} seconds.",
                headers={"Retry-After": str(max(1, math.ceil(wait)))},
            )
        return found


def require(request, scope: Scope) -> ApiToken:
    token: ApiToken = request.auth
    if not services.has_scope(token, scope):
        raise ApiError(403, f"This token may not do that: it needs the scope “{scope}”.")
    return token


def practice_for(request, ods: str, scope: Scope):
    """The token's practice when the path names it (else 404, as for no such practice), then the scope."""
    token: ApiToken = request.auth
    if token.practice_id is None or token.practice.ods_code.upper() != ods.upper():
        raise ApiError(404)
    require(request, scope)
    return token.practice


def organisation_for(request, code: str, scope: Scope):
    token: ApiToken = request.auth
    if token.organisation_id is None or token.organisation.code.upper() != code.upper():
        raise ApiError(404)
    require(request, scope)
    return token.organisation
