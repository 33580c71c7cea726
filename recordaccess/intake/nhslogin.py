"""NHS login: a patient proves who they are from home, at P9 (high identity proofing), with OpenID Connect.

Authlib runs the authorisation code flow with private_key_jwt client authentication (NHS login's way); the ID
token's signature is checked against the provider's published keys with PyJWT, with the issuer, audience,
expiry and our nonce. The `vot` claim says how well the person was verified: only P9 counts; anything less
sends the patient to the desk. The provider's answer changes nothing unless its date of birth matches the
request's, and the NHS number it gives is what matches the request to the register.
"""

import functools
import secrets
from dataclasses import dataclass
from pathlib import Path

import jwt
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.conf import settings

VTR = (
    '["P9.Cp.Cd","P9.Cp.Ck","P9.Cm"]'  # ask for high proofing, with any of NHS login's authentication levels
)


class NhsLoginError(Exception):
    """The sign-in cannot be used, with the reason for the patient."""


@dataclass(frozen=True)
class Verified:
    subject: str
    vot: str
    nhs_number: str
    birthdate: str

    @property
    def p9(self) -> bool:
        return self.vot.split(".")[0] == "P9"


def configured() -> bool:
    return bool(
        settings.NHS_LOGIN_ISSUER and settings.NHS_LOGIN_CLIENT_ID and settings.NHS_LOGIN_PRIVATE_KEY_FILE
    )


@functools.cache
def _metadata(issuer: str) -> dict:
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10)
    response.raise_for_status()
    return response.json()


def _session(redirect_uri: str, state: str | None = None) -> tuple[OAuth2Session, dict]:
    meta = _metadata(settings.NHS_LOGIN_ISSUER)
    session = OAuth2Session(
        settings.NHS_LOGIN_CLIENT_ID,
        Path(settings.NHS_LOGIN_PRIVATE_KEY_FILE).read_text(),
        token_endpoint_auth_method="private_key_jwt",  # noqa: S106 - a method name, not a secret
        redirect_uri=redirect_uri,
        scope="openid profile",
        state=state,
    )
    session.register_client_auth_method(PrivateKeyJWT(meta["token_endpoint"], alg="RS512"))
    return session, meta


def start(redirect_uri: str) -> tuple[str, str, str]:
    """The provider's sign-in address, with the state and nonce to keep in the session."""
    session, meta = _session(redirect_uri)
    nonce = secrets.token_urlsafe(24)
    url, state = session.create_authorization_url(meta["authorization_endpoint"], nonce=nonce, vtr=VTR)
    return url, state, nonce


def finish(*, redirect_uri: str, callback_url: str, state: str, nonce: str) -> Verified:
    """Exchange the code, check the ID token, and read who the person is."""
    session, meta = _session(redirect_uri, state=state)
    try:
        token = session.fetch_token(meta["token_endpoint"], authorization_response=callback_url)
        keys = jwt.PyJWKClient(meta["jwks_uri"])
        id_token = token["id_token"]
        claims = jwt.decode(
            id_token,
            keys.get_signing_key_from_jwt(id_token).key,
            algorithms=["RS512", "RS256"],
            audience=settings.NHS_LOGIN_CLIENT_ID,
            issuer=meta["issuer"],
            options={"require": ["exp", "iat", "sub", "nonce"]},
        )
    except Exception as error:
        raise NhsLoginError("NHS login did not confirm who you are. Please try again.") from error
    if claims["nonce"] != nonce:
        raise NhsLoginError("NHS login did not confirm who you are. Please try again.")
    info = session.get(meta["userinfo_endpoint"], timeout=10).json()
    if info.get("sub") != claims["sub"]:
        raise NhsLoginError("NHS login did not confirm who you are. Please try again.")
    return Verified(
        subject=claims["sub"],
        vot=claims.get("vot", ""),
        nhs_number=str(info.get("nhs_number", "")).replace(" ", ""),
        birthdate=str(info.get("birthdate", "")),
    )
