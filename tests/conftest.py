import pytest

from tests import factories


@pytest.fixture
def practice(db):
    return factories.practice("A81001", name="Riverside Surgery")


@pytest.fixture
def other_practice(db):
    return factories.practice("B82002", name="Hillside Practice")


@pytest.fixture
def staff_client(client, practice):
    """A client factory: staff_client(role) signs in a new member of `practice` with that role."""

    def make(role: str):
        return factories.sign_in(client, factories.staff(practice, role))

    return make
