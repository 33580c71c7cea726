"""`recordaccess api_token create|revoke|list`: API tokens for a practice or an organisation (PCN, ICB)."""

import json

from django.core.management.base import BaseCommand, CommandError

from recordaccess.api import selectors, services
from recordaccess.api.services import MAX_DAYS
from recordaccess.audit.services import Actor
from recordaccess.practices.selectors import practice_by_ods


def _describe(token) -> dict:
    return {
        "prefix": token.prefix,
        "name": token.name,
        "practice": token.practice.ods_code if token.practice_id else None,
        "organisation": token.organisation.code if token.organisation_id else None,
        "scopes": token.scopes,
        "created_by": token.created_by,
        "created_at": token.created_at.isoformat(),
        "expires_at": token.expires_at.isoformat(),
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
        "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
    }


class Command(BaseCommand):
    help = (
        "Make, revoke or list API tokens. A token is for one practice (--practice) or one organisation "
        "(--organisation: figures:read only). `create` prints the token once: only its hash is kept."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a token; prints it once.")
        create.add_argument("--practice", help="ODS code of the practice.")
        create.add_argument("--organisation", help="ODS code of the organisation (PCN or ICB).")
        create.add_argument("--name", required=True, help="What will use it.")
        create.add_argument(
            "--scope", action="append", default=[], help="A scope, e.g. requests:write (repeat for more)."
        )
        create.add_argument("--days", type=int, default=90, help=f"Days until it expires (1 to {MAX_DAYS}).")
        create.add_argument("--by", default="api_token", help="Who is making it (audited).")
        revoke = sub.add_parser("revoke", help="Stop a token working.")
        revoke.add_argument("prefix", help="The token's prefix (the 8 characters after ra_).")
        revoke.add_argument("--by", default="api_token", help="Who is revoking it (audited).")
        listing = sub.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("--practice")
        listing.add_argument("--organisation")
        for each in (create, revoke, listing):
            each.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    def _holder(self, practice, organisation, *, required: bool):
        if practice and organisation:
            raise CommandError("Give --practice or --organisation, not both.", returncode=2)
        if required and not (practice or organisation):
            raise CommandError("Give --practice ODS or --organisation CODE.", returncode=2)
        found_practice = found_organisation = None
        if practice:
            found_practice = practice_by_ods(practice)
            if found_practice is None:
                raise CommandError(f"No practice with ODS code {practice!r}.", returncode=2)
        if organisation:
            found_organisation = selectors.organisation_by_code(organisation)
            if found_organisation is None:
                raise CommandError(f"No organisation with code {organisation!r}.", returncode=2)
        return found_practice, found_organisation

    def _out(self, as_json: bool, data: dict, text: str) -> None:
        self.stdout.write(json.dumps(data) if as_json else text)

    def _create(self, *, practice, organisation, name, scope, days, by, json: bool, **_):
        found_practice, found_organisation = self._holder(practice, organisation, required=True)
        try:
            token, secret = services.create_token(
                actor=Actor.system(by),
                practice=found_practice,
                organisation=found_organisation,
                name=name,
                scopes=scope,
                days=days,
            )
        except services.TokenError as error:
            raise CommandError(str(error), returncode=2) from error
        self._out(
            json,
            _describe(token) | {"token": secret},
            f"{secret}\nToken {token.prefix} ({', '.join(token.scopes)}) expires {token.expires_at:%d %B %Y}. "
            "Copy it now: it is not shown again.",
        )

    def _revoke(self, *, prefix, by, json: bool, **_):
        token = selectors.token_by_prefix(prefix)
        if token is None:
            raise CommandError(f"No token with prefix {prefix!r}.", returncode=2)
        try:
            token = services.revoke_token(actor=Actor.system(by), token=token)
        except services.TokenError as error:
            raise CommandError(str(error), returncode=2) from error
        self._out(json, _describe(token), f"Token {token.prefix} ({token.name}) is revoked.")

    def _list(self, *, practice, organisation, json: bool, **_):
        found_practice, found_organisation = self._holder(practice, organisation, required=False)
        found = [
            _describe(t) for t in selectors.tokens(practice=found_practice, organisation=found_organisation)
        ]
        lines = [
            f"{t['prefix']}  {t['practice'] or t['organisation']}  {t['name']}  {','.join(t['scopes'])}  "
            f"expires {t['expires_at'][:10]}{'  REVOKED' if t['revoked_at'] else ''}"
            for t in found
        ]
        self._out(json, {"tokens": found}, "\n".join(lines) or "No tokens.")
