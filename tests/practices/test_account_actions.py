"""Acting on the account itself (its second factor, its lockout, its password) reaches every practice it is in:
only someone who administers all of them may do it from the web; operators do the rest at the command line.
Every action on an account lands in the trail of every practice the account belongs to."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from recordaccess.audit.models import AuditEntry
from recordaccess.outreach.direct import send_direct_message
from recordaccess.outreach.models import DirectMessage, OutboxItem
from recordaccess.practices.models import Membership, StaffUser
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(practice, other_practice):
    """A GP who works at both practices."""
    gp = factories.staff(practice, Role.REVIEWER, "dr.both")
    factories.add_membership(gp, other_practice, Role.REVIEWER)
    return gp


def _admin_of(*practices):
    admin = factories.staff(practices[0], Role.ADMINISTRATOR)
    for other in practices[1:]:
        factories.add_membership(admin, other, Role.ADMINISTRATOR)
    return factories.sign_in(Client(), admin)


def _action(client, practice, user, action, **data):
    url = reverse(
        "staff:staff_action", kwargs={"ods": practice.ods_code, "user_id": user.pk, "action": action}
    )
    return client.post(url, data, follow=True).content.decode()


def _lock(username):
    for _ in range(5):
        Client().post(reverse("staff:sign_in"), {"username": username, "password": "wrong"})


def _signs_in(user, password=factories.TEST_PASSWORD) -> bool:
    response = Client().post(reverse("staff:sign_in"), {"username": user.username, "password": password})
    return response.status_code == 302


def _entries(action):
    return sorted(AuditEntry.objects.filter(action=action).values_list("practice_ods", flat=True))


def _send(kind):
    """Send the queued emails of one kind (STAFF-2FA-…, STAFF-PWD-…) as the worker would; return their rows."""
    queued = list(DirectMessage.objects.filter(reference__startswith=f"STAFF-{kind}-"))
    for message in queued:
        assert send_direct_message.call(message.pk) == "sent"
    return queued


def _emails(notify, kind):
    return [n for n in notify.notifications if n["reference"].startswith(f"STAFF-{kind}-")]


@pytest.mark.parametrize(
    ("action", "data", "command"),
    [
        ("reset-two-factor", {}, "recordaccess reset_two_factor dr.both"),
        ("unlock", {}, "recordaccess unlock_account dr.both"),
        ("password", {"password": "a brand new passphrase"}, "recordaccess set_password dr.both"),
    ],
)
def test_an_administrator_of_one_of_the_practices_is_refused_and_told_who_can(
    practice, shared, action, data, command
):
    _lock("dr.both")
    page = _action(_admin_of(practice), practice, shared, action, **data)
    assert "their account also belongs to a practice you do not administer" in page
    assert command in page
    assert TOTPDevice.objects.filter(user=shared, confirmed=True).exists()
    shared.refresh_from_db()
    assert shared.check_password(factories.TEST_PASSWORD)
    assert not _signs_in(shared), "still locked"
    assert not AuditEntry.objects.filter(
        action__in=["staff.two_factor_reset", "staff.unlock", "staff.password_set"]
    )


def test_administering_one_practice_and_reviewing_at_the_other_is_not_enough(
    practice, other_practice, shared
):
    admin = factories.staff(practice, Role.ADMINISTRATOR)
    factories.add_membership(admin, other_practice, Role.REVIEWER)
    page = _action(factories.sign_in(Client(), admin), practice, shared, "reset-two-factor")
    assert "belongs to a practice you do not administer" in page
    assert TOTPDevice.objects.filter(user=shared).exists()


def test_the_staff_page_offers_the_account_actions_only_where_they_would_be_allowed(practice, shared):
    single = factories.staff(practice, Role.RECEPTION, "r.only")
    page = _admin_of(practice).get(reverse("staff:staff", kwargs={"ods": practice.ods_code})).content.decode()
    assert page.count("Reset two-factor<span") == 2  # the administrator and r.only, not dr.both
    assert "recordaccess reset_two_factor dr.both" in page
    assert f"/staff/{single.pk}/password/" in page and f"/staff/{shared.pk}/password/" not in page


def test_an_administrator_of_every_practice_resets_two_factor_audited_in_each_and_the_holder_is_emailed(
    practice, other_practice, shared
):
    page = _action(_admin_of(practice, other_practice), practice, shared, "reset-two-factor")
    assert "Two-factor reset: they will set up their app at their next sign-in. We have emailed them" in page
    assert not TOTPDevice.objects.filter(user=shared).exists()
    assert _entries("staff.two_factor_reset") == ["A81001", "B82002"]
    assert len(_send("2FA")) == 1
    email = OutboxItem.objects.get(reference__startswith="STAFF-2FA-")
    assert email.to == "dr.both@example.nhs.uk" and email.practice == practice
    assert email.subject == "The authenticator app for your recordaccess account was reset"
    assert "an administrator of Riverside Surgery (A81001), reset the two-factor sign-in of your account" in (
        email.body
    )
    assert "If you did not ask for this, sign in now to set up your app yourself" in email.body


def test_unlocking_is_audited_in_every_practice_of_the_account(practice, other_practice, shared):
    _lock("dr.both")
    page = _action(_admin_of(practice, other_practice), other_practice, shared, "unlock")
    assert "Account unlocked." in page
    assert _signs_in(shared)
    assert _entries("staff.unlock") == ["A81001", "B82002"]


def test_an_administrator_sets_a_temporary_password_and_the_holder_is_emailed(practice, notify):
    member = factories.staff(practice, Role.RECEPTION, "r.forgot")
    admin = _admin_of(practice)
    assert "This password is too short" in _action(admin, practice, member, "password", password="short")
    page = _action(admin, practice, member, "password", password="a brand new passphrase")
    assert "New temporary password set: tell it to them in person. We have emailed them" in page
    assert _signs_in(member, "a brand new passphrase")
    assert _entries("staff.password_set") == ["A81001"]
    assert "a brand new passphrase" not in AuditEntry.objects.get(action="staff.password_set").detail
    _send("PWD")
    (email,) = _emails(notify, "PWD")
    assert email["email_address"] == "r.forgot@example.nhs.uk"
    assert "set a new temporary password for your account r.forgot" in email["personalisation"]["body"]
    assert "a brand new passphrase" not in email["personalisation"]["body"]


def test_role_changes_and_removal_are_audited_in_every_practice_of_the_account(
    practice, other_practice, shared
):
    admin = _admin_of(practice)
    _action(admin, practice, shared, "role", role="observer")
    _action(admin, practice, shared, "remove")
    assert _entries("staff.role_change") == ["A81001", "B82002"]
    assert _entries("staff.remove") == ["A81001", "B82002"]
    detail = json.loads(AuditEntry.objects.get(action="staff.remove", practice_ods="B82002").detail)
    assert detail == {"practice": "A81001", "role": "observer", "username": "dr.both"}
    assert list(Membership.objects.filter(user=shared).values_list("practice__ods_code", flat=True)) == [
        "B82002"
    ]


def test_an_account_without_an_email_address_keeps_working_and_is_simply_not_emailed(practice):
    old = factories.staff(practice, Role.RECEPTION, "before.emails")
    StaffUser.objects.filter(pk=old.pk).update(email="")
    page = _action(_admin_of(practice), practice, old, "reset-two-factor")
    assert "Two-factor reset" in page and "We have emailed them" not in page
    assert not DirectMessage.objects.filter(reference__startswith="STAFF-2FA-").exists()
    assert _signs_in(old)


# The operators' commands.


def test_operators_reset_two_factor_for_any_account_audited_in_every_practice(shared, notify):
    out = io.StringIO()
    call_command("reset_two_factor", "dr.both", stdout=out)
    assert "Two-factor reset for dr.both" in out.getvalue() and "emailed" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=shared).exists()
    assert _entries("staff.two_factor_reset") == ["A81001", "B82002"]
    assert set(
        AuditEntry.objects.filter(action="staff.two_factor_reset").values_list("actor", flat=True)
    ) == {"command:reset_two_factor"}
    _send("2FA")
    (email,) = _emails(notify, "2FA")
    assert (
        "the service's operators reset the two-factor sign-in of your account dr.both"
        in (email["personalisation"]["body"])
    )
    assert "Hillside" not in email["personalisation"]["body"]


@pytest.mark.parametrize("command", ["reset_two_factor", "unlock_account", "set_password"])
def test_operators_commands_exit_2_for_an_unknown_account(db, command, monkeypatch):
    monkeypatch.setenv("RECORDACCESS_PASSWORD", "a brand new passphrase")
    with pytest.raises(CommandError, match="No staff account has the username 'nobody'") as failure:
        call_command(command, "nobody")
    assert failure.value.returncode == 2


def test_operators_unlock_and_set_a_password(shared, monkeypatch):
    _lock("dr.both")
    call_command("unlock_account", "dr.both", stdout=io.StringIO())
    assert _signs_in(shared)
    monkeypatch.setenv("RECORDACCESS_PASSWORD", "short")
    with pytest.raises(CommandError, match="This password is too short") as failure:
        call_command("set_password", "dr.both")
    assert failure.value.returncode == 2
    monkeypatch.setenv("RECORDACCESS_PASSWORD", "an operator's new passphrase")
    call_command("set_password", "dr.both", stdout=io.StringIO())
    assert _signs_in(shared, "an operator's new passphrase")
    assert _entries("staff.unlock") == _entries("staff.password_set") == ["A81001", "B82002"]


def test_operators_commands_explain_themselves(capsys):
    for command in ("reset_two_factor", "unlock_account", "set_password"):
        with pytest.raises(SystemExit) as done:
            call_command(command, "--help")
        assert done.value.code == 0
    out = capsys.readouterr().out
    assert "every practice the account belongs to" in out and "Exit 0 done, 2 no such account" in out


def test_add_staff_needs_an_email_for_a_new_account_and_adds_an_existing_one_as_an_operator(
    practice, other_practice, monkeypatch
):
    monkeypatch.setenv("RECORDACCESS_PASSWORD", "a new long passphrase")
    with pytest.raises(CommandError, match="A new account needs --email") as failure:
        call_command("add_staff", "new.person", "--practice", "A81001", "--role", "reception")
    assert failure.value.returncode == 2
    call_command(
        "add_staff",
        "new.person",
        "--practice",
        "A81001",
        "--role",
        "reception",
        "--email",
        "new@nhs.net",
        stdout=io.StringIO(),
    )
    call_command(
        "add_staff", "new.person", "--practice", "B82002", "--role", "observer", stdout=io.StringIO()
    )
    person = StaffUser.objects.get(username="new.person")
    assert person.email == "new@nhs.net"
    assert set(person.memberships.values_list("practice__ods_code", flat=True)) == {"A81001", "B82002"}
    assert _entries("staff.add") == ["A81001", "A81001", "B82002"]
    message = DirectMessage.objects.get()
    assert (
        message.to == "new@nhs.net"
        and message.subject == "Your recordaccess account was added to Hillside Practice"
    )
