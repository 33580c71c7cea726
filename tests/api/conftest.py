import pytest

from recordaccess.api.models import PRACTICE_SCOPES
from recordaccess.api.services import create_token
from recordaccess.audit.services import Actor
from recordaccess.practices.models import Organisation, OrganisationKind, OrganisationPractice

ADMIN = Actor.system("manager-pat")
ALL = sorted(str(s) for s in PRACTICE_SCOPES)


@pytest.fixture
def make_token():
    """make_token(practice=…, scopes=[…]) → the secret to send, as its holder would have copied it."""

    def make(*, practice=None, organisation=None, scopes=None, days=30, name="Consultation tool"):
        chosen = scopes if scopes is not None else (ALL if practice is not None else ["figures:read"])
        _token, secret = create_token(
            actor=ADMIN, practice=practice, organisation=organisation, name=name, scopes=chosen, days=days
        )
        return secret

    return make


@pytest.fixture
def organisation(practice, other_practice):
    pcn = Organisation.objects.create(code="U12345", name="Riverside PCN", kind=OrganisationKind.PCN)
    for member in (practice, other_practice):
        OrganisationPractice.objects.create(organisation=pcn, practice=member)
    return pcn


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
