"""Organisations (PCNs and ICBs), their practices and observers: the operators' commands and the services under
them, each change audited in the trail of the practices it concerns."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from recordaccess.audit.models import AuditEntry
from recordaccess.audit.services import Actor
from recordaccess.practices.models import Organisation, OrganisationMembership, StaffUser
from recordaccess.practices.selectors import organisation_practices
from recordaccess.practices.services import PracticeError, create_organisation
from tests import factories

pytestmark = pytest.mark.django_db


def run(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_add_organisation_makes_an_icb_and_a_pcn_under_it():
    assert run("add_organisation", "--code", "qwe", "--name", "West Moor ICB", "--kind", "icb") == {
        "code": "QWE",
        "name": "West Moor ICB",
        "kind": "icb",
        "parent": None,
    }
    made = run(
        "add_organisation", "--code", "U00001", "--name", "Riverside PCN", "--kind", "pcn", "--parent", "QWE"
    )
    assert made["parent"] == "QWE"
    assert Organisation.objects.get(code="U00001").parent.code == "QWE"
    assert AuditEntry.objects.filter(action="organisation.create", practice_ods="").count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--code", "Q!", "--name", "X", "--kind", "icb"], "3 to 10 letters and digits"),
        (["--code", "QWE", "--name", " ", "--kind", "icb"], "Enter the organisation's name"),
        (["--code", "QWE", "--name", "X", "--kind", "icb", "--parent", "QAA"], "Only a PCN has a parent"),
        (
            ["--code", "U00002", "--name", "X", "--kind", "pcn", "--parent", "NONE1"],
            "No organisation with ODS code",
        ),
    ],
)
def test_add_organisation_exits_2_on_unusable_input(args, message):
    with pytest.raises(CommandError, match=message) as raised:
        call_command("add_organisation", *args)
    assert raised.value.returncode == 2


def test_a_pcns_parent_must_be_an_icb_and_a_code_is_used_once():
    actor = Actor.system("tests")
    create_organisation(actor=actor, code="U00001", name="A PCN", kind="pcn")
    with pytest.raises(PracticeError, match="a PCN's parent must be an ICB"):
        create_organisation(actor=actor, code="U00002", name="B PCN", kind="pcn", parent_code="U00001")
    with pytest.raises(PracticeError, match="already exists"):
        create_organisation(actor=actor, code="u00001", name="Again", kind="pcn")


def test_organisation_practices_adds_and_removes_and_an_icb_holds_its_pcns_practices():
    actor = Actor.system("tests")
    icb = create_organisation(actor=actor, code="QWE", name="ICB", kind="icb")
    pcn = create_organisation(actor=actor, code="U00001", name="PCN", kind="pcn", parent_code="QWE")
    a, b, c = (factories.practice(code) for code in ("A00001", "B00001", "C00001"))
    assert run("organisation_practices", "--code", "U00001", "--add", "A00001", "b00001") == {
        "code": "U00001",
        "added": ["A00001", "B00001"],
        "removed": [],
        "practices": ["A00001", "B00001"],
    }
    run("organisation_practices", "--code", "QWE", "--add", "C00001")
    assert set(organisation_practices(icb)) == {a, b, c}
    assert set(organisation_practices(pcn)) == {a, b}
    removed = run("organisation_practices", "--code", "U00001", "--remove", "A00001", "C00001")
    assert removed["removed"] == ["A00001"]  # C was never the PCN's
    assert set(organisation_practices(icb)) == {b, c}
    trail = AuditEntry.objects.filter(object_type="organisation")
    assert set(trail.filter(action="organisation.practice_add").values_list("practice_ods", flat=True)) == {
        "A00001",
        "B00001",
        "C00001",
    }
    assert list(
        trail.filter(action="organisation.practice_remove").values_list("practice_ods", flat=True)
    ) == ["A00001"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--code", "NONE1", "--add", "A00001"], "No organisation with ODS code"),
        (["--code", "QWE", "--add", "Z99999"], "No practice with ODS code Z99999"),
        (["--code", "QWE", "--add", "A00001", "--remove", "A00001"], "both added and removed"),
    ],
)
def test_organisation_practices_exits_2_on_unusable_input_and_changes_nothing(args, message):
    create_organisation(actor=Actor.system("tests"), code="QWE", name="ICB", kind="icb")
    factories.practice("A00001")
    with pytest.raises(CommandError, match=message) as raised:
        call_command("organisation_practices", *args)
    assert raised.value.returncode == 2
    assert not AuditEntry.objects.filter(action="organisation.practice_add").exists()


def test_add_organisation_observer_adds_an_existing_account_or_makes_one(monkeypatch):
    actor = Actor.system("tests")
    icb = create_organisation(actor=actor, code="QWE", name="ICB", kind="icb")
    practice = factories.practice("A00001")
    run("organisation_practices", "--code", "QWE", "--add", "A00001")
    existing = factories.staff(practice, "reviewer", "gp1")
    assert run("add_organisation_observer", "gp1", "--organisation", "QWE") == {
        "username": "gp1",
        "organisation": "QWE",
        "account_created": False,
        "added": True,
    }
    assert run("add_organisation_observer", "gp1", "--organisation", "QWE")["added"] is False
    monkeypatch.setenv("RECORDACCESS_PASSWORD", factories.TEST_PASSWORD)
    made = run(
        "add_organisation_observer", "icb-jo", "--organisation", "qwe", "--email", "jo@icb.example.nhs.uk"
    )
    assert made["account_created"] is True
    jo = StaffUser.objects.get(username="icb-jo")
    assert not jo.memberships.exists()  # no practice: an observer of the ICB only
    assert set(OrganisationMembership.objects.filter(organisation=icb).values_list("user", flat=True)) == {
        existing.pk,
        jo.pk,
    }
    entries = AuditEntry.objects.filter(action="organisation.observer_add")
    assert set(entries.values_list("practice_ods", flat=True)) == {
        "A00001"
    }  # the practice whose figures they see
    assert entries.count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["someone", "--organisation", "NONE1"], "No organisation with ODS code"),
        (["someone", "--organisation", "QWE"], "A new account needs --email"),
        (["someone", "--organisation", "QWE", "--email", "not-an-address"], "Enter an email address"),
    ],
)
def test_add_organisation_observer_exits_2_on_unusable_input(monkeypatch, args, message):
    create_organisation(actor=Actor.system("tests"), code="QWE", name="ICB", kind="icb")
    monkeypatch.setenv("RECORDACCESS_PASSWORD", factories.TEST_PASSWORD)
    with pytest.raises(CommandError, match=message) as raised:
        call_command("add_organisation_observer", *args)
    assert raised.value.returncode == 2
    assert not StaffUser.objects.filter(username="someone").exists()
