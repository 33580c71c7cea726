import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from recordaccess.audit.models import AuditEntry
from recordaccess.practices.models import Membership, StaffUser
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(practice):
    return factories.staff(practice, Role.ADMINISTRATOR, "pm.jones")


@pytest.fixture
def admin_client(client, admin):
    return factories.sign_in(client, admin)


def _action(client, practice, user, action, **data):
    url = reverse(
        "staff:staff_action", kwargs={"ods": practice.ods_code, "user_id": user.pk, "action": action}
    )
    return client.post(url, data, follow=True)


def test_an_administrator_adds_a_new_member_who_can_then_sign_in(admin_client, client, practice):
    response = admin_client.post(
        reverse("staff:staff", kwargs={"ods": practice.ods_code}),
        {
            "username": "r.patel",
            "full_name": "Rita Patel",
            "email": "rita.patel@nhs.net",
            "role": "reception",
            "password": "a new long passphrase",
        },
    )
    assert response.status_code == 302
    assert StaffUser.objects.get(username="r.patel").email == "rita.patel@nhs.net"
    assert Membership.objects.get(user__username="r.patel", practice=practice).role == Role.RECEPTION
    assert AuditEntry.objects.filter(action="staff.add", detail__contains="r.patel").exists()
    admin_client.post(reverse("staff:sign_out"))
    response = client.post(
        reverse("staff:sign_in"), {"username": "r.patel", "password": "a new long passphrase"}
    )
    assert response["Location"].startswith(reverse("staff:enrol"))


def test_a_weak_temporary_password_gets_a_specific_error(admin_client, practice):
    response = admin_client.post(
        reverse("staff:staff", kwargs={"ods": practice.ods_code}),
        {
            "username": "r.patel",
            "full_name": "Rita Patel",
            "email": "rita.patel@nhs.net",
            "role": "reception",
            "password": "short",
        },
    )
    page = response.content.decode()
    assert "This password is too short" in page and "There is a problem" in page
    assert not StaffUser.objects.filter(username="r.patel").exists()


def test_a_username_with_spaces_is_refused(admin_client, practice):
    response = admin_client.post(
        reverse("staff:staff", kwargs={"ods": practice.ods_code}),
        {
            "username": "rita patel",
            "full_name": "Rita Patel",
            "role": "reception",
            "password": "a new long passphrase",
        },
    )
    assert "Use only letters, numbers" in response.content.decode()


def test_a_new_account_needs_a_work_email_address(admin_client, practice):
    response = admin_client.post(
        reverse("staff:staff", kwargs={"ods": practice.ods_code}),
        {
            "username": "r.patel",
            "full_name": "Rita Patel",
            "role": "reception",
            "password": "a new long passphrase",
        },
    )
    assert "Enter their work email address" in response.content.decode()
    assert not StaffUser.objects.filter(username="r.patel").exists()


def test_an_existing_username_is_refused_with_the_way_to_invite_them(admin_client, practice, other_practice):
    existing = factories.staff(other_practice, Role.REVIEWER, "dr.shared")
    response = admin_client.post(
        reverse("staff:staff", kwargs={"ods": practice.ods_code}),
        {
            "username": "Dr.Shared",
            "full_name": "Dr Shared",
            "email": "shared@nhs.net",
            "role": "reviewer",
            "password": "another long passphrase",
        },
    )
    page = response.content.decode()
    assert "There is already an account with the username Dr.Shared" in page
    assert "invite them instead" in page and "Invite someone who already has an account" in page
    assert set(existing.memberships.values_list("practice__ods_code", flat=True)) == {"B82002"}
    existing.refresh_from_db()
    assert existing.check_password(factories.TEST_PASSWORD) and existing.email == "dr.shared@example.nhs.uk"


def test_roles_change_but_the_last_administrator_stays(admin_client, admin, practice):
    reviewer = factories.staff(practice, Role.REVIEWER)
    _action(admin_client, practice, reviewer, "role", role="observer")
    assert Membership.objects.get(user=reviewer).role == Role.OBSERVER
    page = _action(admin_client, practice, admin, "role", role="reception").content.decode()
    assert "A practice needs at least one administrator" in page
    assert Membership.objects.get(user=admin).role == Role.ADMINISTRATOR


def test_a_removed_member_loses_the_practice_but_keeps_their_account(admin_client, client, practice):
    reviewer = factories.staff(practice, Role.REVIEWER)
    _action(admin_client, practice, reviewer, "remove")
    assert not Membership.objects.filter(user=reviewer, practice=practice).exists()
    assert StaffUser.objects.filter(pk=reviewer.pk).exists()
    factories.sign_in(client, reviewer)
    assert client.get(reverse("staff:dashboard", kwargs={"ods": practice.ods_code})).status_code == 404


def test_administrators_cannot_remove_themselves(admin_client, admin, practice):
    factories.staff(practice, Role.ADMINISTRATOR)
    page = _action(admin_client, practice, admin, "remove").content.decode()
    assert "You cannot remove yourself" in page


def test_resetting_two_factor_makes_them_set_up_their_app_again(admin_client, client, practice):
    reviewer = factories.staff(practice, Role.REVIEWER)
    _action(admin_client, practice, reviewer, "reset-two-factor")
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    admin_client.post(reverse("staff:sign_out"))
    response = client.post(
        reverse("staff:sign_in"), {"username": reviewer.username, "password": factories.TEST_PASSWORD}
    )
    assert response["Location"].startswith(reverse("staff:enrol"))


def test_an_administrator_unlocks_a_locked_account(client, admin, practice):
    reviewer = factories.staff(practice, Role.REVIEWER)
    for _ in range(5):
        client.post(reverse("staff:sign_in"), {"username": reviewer.username, "password": "wrong"})
    factories.sign_in(client, admin)
    page = client.get(reverse("staff:staff", kwargs={"ods": practice.ods_code})).content.decode()
    assert "Locked" in page
    _action(client, practice, reviewer, "unlock")
    client.post(reverse("staff:sign_out"))
    response = client.post(
        reverse("staff:sign_in"), {"username": reviewer.username, "password": factories.TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="staff.unlock").exists()


def test_members_of_another_practice_cannot_be_touched(admin_client, practice, other_practice):
    outsider = factories.staff(other_practice, Role.ADMINISTRATOR)
    page = _action(admin_client, practice, outsider, "reset-two-factor").content.decode()
    assert "not a member of this practice" in page
    assert TOTPDevice.objects.filter(user=outsider).exists()


def test_an_unknown_action_is_not_found(admin_client, admin, practice):
    response = admin_client.post(
        reverse(
            "staff:staff_action", kwargs={"ods": practice.ods_code, "user_id": admin.pk, "action": "promote"}
        )
    )
    assert response.status_code == 404


def test_an_administrator_changing_their_own_role_is_asked_first_and_told_what_they_lose(
    admin_client, admin, practice
):
    factories.staff(practice, Role.ADMINISTRATOR)
    page = _action(admin_client, practice, admin, "role", role="observer").content.decode()
    assert "Are you sure you want to stop being an administrator?" in page
    assert "What you will lose" in page and "Staff" in page
    assert Membership.objects.get(user=admin).role == Role.ADMINISTRATOR
    _action(admin_client, practice, admin, "role", role="observer", confirmed="yes")
    assert Membership.objects.get(user=admin).role == Role.OBSERVER


def test_the_last_administrator_is_refused_before_being_asked(admin_client, admin, practice):
    page = _action(admin_client, practice, admin, "role", role="observer").content.decode()
    assert "A practice needs at least one administrator" in page
    assert "Are you sure" not in page
    assert Membership.objects.get(user=admin).role == Role.ADMINISTRATOR


def test_a_role_or_password_left_out_is_shown_in_the_error_summary_linked_to_the_row(admin_client, practice):
    reviewer = factories.staff(practice, Role.REVIEWER)
    page = _action(admin_client, practice, reviewer, "role", role="").content.decode()
    assert "nhsuk-error-summary" in page and f'href="#member-{reviewer.pk}-role"' in page
    page = _action(admin_client, practice, reviewer, "password", password="").content.decode()
    assert "nhsuk-error-summary" in page and f'href="#password-{reviewer.pk}"' in page
