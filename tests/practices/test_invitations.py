"""An existing account joins another practice only by an invitation its holder accepts, signed in with their
own second factor: single-use, for that account alone, lapsing after STAFF_INVITATION_DAYS, withdrawable, and
audited in every practice the account is in."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from recordaccess.audit.models import AuditEntry
from recordaccess.outreach.direct import send_direct_message
from recordaccess.outreach.models import DirectMessage
from recordaccess.practices.models import Membership, StaffInvitation
from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def inviter(other_practice):
    """The administrator of Hillside (B82002), who wants a GP of Riverside (A81001) to review there too."""
    return factories.sign_in(Client(), factories.staff(other_practice, Role.ADMINISTRATOR, "b.admin"))


@pytest.fixture
def gp(practice):
    return factories.staff(practice, Role.REVIEWER, "dr.shah")


def _invite(inviter, practice, username, role="reviewer"):
    return inviter.post(
        reverse("staff:staff_invite", kwargs={"ods": practice.ods_code}),
        {"invite-username": username, "invite-role": role},
        follow=True,
    )


def _answer(client, invitation, answer):
    return client.post(
        reverse("staff:invitation_answer", kwargs={"invitation_id": invitation.pk, "answer": answer}),
        follow=True,
    )


def _trail(ods, action):
    return AuditEntry.objects.filter(practice_ods=ods, action=action)


def test_the_holder_sees_the_invitation_after_signing_in_and_joins_by_accepting(
    inviter, gp, practice, other_practice
):
    page = _invite(inviter, other_practice, "dr.shah").content.decode()
    assert "Invitation sent to dr.shah" in page and "Invitations waiting for an answer" in page
    assert not Membership.objects.filter(user=gp, practice=other_practice).exists()

    holder = factories.sign_in(Client(), gp)
    home = holder.get(reverse("staff:home"))
    assert home.status_code == 200, "one practice and an invitation: the home page shows it, not the practice"
    text = home.content.decode()
    assert "You have an invitation" in text and "Hillside Practice (B82002)" in text and "b.admin" in text

    invitation = StaffInvitation.objects.get()
    assert "You have joined Hillside Practice" in _answer(holder, invitation, "accept").content.decode()
    assert Membership.objects.get(user=gp, practice=other_practice).role == Role.REVIEWER
    assert holder.get(reverse("staff:dashboard", kwargs={"ods": other_practice.ods_code})).status_code == 200
    for ods in ("A81001", "B82002"):
        assert _trail(ods, "staff.invite").count() == 1, f"the invitation is missing from {ods}'s trail"
        assert _trail(ods, "staff.join").count() == 1, f"the joining is missing from {ods}'s trail"
    assert '"practice":"B82002"' in _trail("A81001", "staff.invite").get().detail


def test_an_invitation_is_single_use(inviter, gp, other_practice):
    _invite(inviter, other_practice, "dr.shah")
    invitation = StaffInvitation.objects.get()
    holder = factories.sign_in(Client(), gp)
    _answer(holder, invitation, "accept")
    Membership.objects.filter(user=gp, practice=other_practice).delete()
    page = _answer(holder, invitation, "accept").content.decode()
    assert "This invitation cannot be answered now: accepted" in page
    assert not Membership.objects.filter(user=gp, practice=other_practice).exists()


def test_a_declined_invitation_adds_nothing_and_cannot_be_accepted_later(inviter, gp, other_practice):
    _invite(inviter, other_practice, "dr.shah")
    invitation = StaffInvitation.objects.get()
    holder = factories.sign_in(Client(), gp)
    assert (
        "You declined the invitation from Hillside Practice"
        in _answer(holder, invitation, "decline").content.decode()
    )
    assert "cannot be answered now: declined" in _answer(holder, invitation, "accept").content.decode()
    assert not Membership.objects.filter(user=gp, practice=other_practice).exists()
    assert _trail("A81001", "staff.invitation_declined").exists()
    assert _trail("B82002", "staff.invitation_declined").exists()


def test_an_expired_invitation_is_not_shown_cannot_be_accepted_and_can_be_sent_again(
    inviter, gp, other_practice
):
    _invite(inviter, other_practice, "dr.shah")
    invitation = StaffInvitation.objects.get()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)
    StaffInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    holder = factories.sign_in(Client(), gp)
    assert holder.get(reverse("staff:home")).status_code == 302  # nothing to answer: straight to the practice
    assert (
        "This invitation expired. Ask b.admin at Hillside Practice"
        in _answer(holder, invitation, "accept").content.decode()
    )
    assert not Membership.objects.filter(user=gp, practice=other_practice).exists()
    assert "Invitation sent to dr.shah" in _invite(inviter, other_practice, "dr.shah").content.decode()
    assert sorted(StaffInvitation.objects.values_list("status", flat=True)) == ["expired", "pending"]


def test_a_withdrawn_invitation_cannot_be_accepted(inviter, gp, other_practice):
    _invite(inviter, other_practice, "dr.shah")
    invitation = StaffInvitation.objects.get()
    page = inviter.post(
        reverse(
            "staff:invitation_withdraw",
            kwargs={"ods": other_practice.ods_code, "invitation_id": invitation.pk},
        ),
        follow=True,
    ).content.decode()
    assert "Invitation to dr.shah withdrawn" in page
    holder = factories.sign_in(Client(), gp)
    assert "cannot be answered now: withdrawn" in _answer(holder, invitation, "accept").content.decode()
    assert not Membership.objects.filter(user=gp, practice=other_practice).exists()
    assert _trail("A81001", "staff.invitation_withdrawn").exists()


def test_only_the_inviting_practice_withdraws_its_invitations(inviter, gp, practice, other_practice):
    _invite(inviter, other_practice, "dr.shah")
    invitation = StaffInvitation.objects.get()
    outsider = factories.sign_in(Client(), factories.staff(practice, Role.ADMINISTRATOR))
    page = outsider.post(
        reverse(
            "staff:invitation_withdraw", kwargs={"ods": practice.ods_code, "invitation_id": invitation.pk}
        ),
        follow=True,
    ).content.decode()
    assert "already answered, withdrawn or has expired" in page
    assert StaffInvitation.objects.get().status == "pending"


def test_someone_else_cannot_answer_an_invitation_that_is_not_theirs(inviter, gp, practice, other_practice):
    _invite(inviter, other_practice, "dr.shah", role="administrator")
    invitation = StaffInvitation.objects.get()
    colleague = factories.staff(practice, Role.RECEPTION)
    intruder = factories.sign_in(Client(), colleague)
    assert _answer(intruder, invitation, "accept").status_code == 404
    assert not Membership.objects.filter(practice=other_practice, user__in=[gp, colleague]).exists()
    assert StaffInvitation.objects.get().status == "pending"


def test_the_password_alone_cannot_accept_an_invitation(inviter, gp, other_practice):
    _invite(inviter, other_practice, "dr.shah")
    invitation = StaffInvitation.objects.get()
    thief = Client()
    thief.post(reverse("staff:sign_in"), {"username": "dr.shah", "password": factories.TEST_PASSWORD})
    response = thief.post(
        reverse("staff:invitation_answer", kwargs={"invitation_id": invitation.pk, "answer": "accept"})
    )
    assert response["Location"].startswith(reverse("staff:verify"))
    assert StaffInvitation.objects.get().status == "pending"


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody.here", "No account has the username nobody.here. Check it with them"),
        ("b.admin", "b.admin is already a member of this practice"),
    ],
)
def test_inviting_gets_a_specific_error(inviter, gp, other_practice, username, message):
    page = _invite(inviter, other_practice, username).content.decode()
    assert message in page and "There is a problem" in page
    assert not StaffInvitation.objects.exists()


def test_a_second_invitation_while_one_waits_is_refused(inviter, gp, other_practice):
    _invite(inviter, other_practice, "dr.shah")
    page = _invite(inviter, other_practice, "dr.shah", role="observer").content.decode()
    assert "already has an invitation to this practice waiting for an answer" in page
    assert StaffInvitation.objects.count() == 1


def test_the_inviting_practice_learns_nothing_of_the_accounts_other_practices(
    inviter, gp, practice, other_practice
):
    page = _invite(inviter, other_practice, "dr.shah").content.decode()
    page += inviter.get(reverse("staff:staff", kwargs={"ods": other_practice.ods_code})).content.decode()
    page += inviter.get(reverse("staff:audit", kwargs={"ods": other_practice.ods_code})).content.decode()
    assert "dr.shah" in page
    assert practice.name not in page and "dr.shah@example.nhs.uk" not in page
    # The email goes out under a practice the holder already belongs to, not the inviter's outbox.
    assert DirectMessage.objects.get().practice == practice


def test_the_holder_is_emailed_about_the_invitation(inviter, gp, other_practice, notify):
    _invite(inviter, other_practice, "dr.shah")
    message = DirectMessage.objects.get()
    assert send_direct_message.call(message.pk) == "sent"
    (email,) = notify.notifications
    assert email["type"] == "email" and email["email_address"] == "dr.shah@example.nhs.uk"
    assert email["reference"].startswith("STAFF-INV-")
    subject, body = email["personalisation"]["subject"], email["personalisation"]["body"]
    assert subject == "You are invited to join Hillside Practice on recordaccess"
    assert "b.admin, an administrator of Hillside Practice (B82002), invited your account dr.shah" in body
    assert "Reviewer" in body and "expires on" in body
    assert "If you did not expect this, decline it and tell your practice manager." in body
    assert "http" not in body, "no links in a security email: they sign in the way they always do"


def test_a_holder_who_goes_straight_to_a_practice_is_pointed_to_the_invitation(
    inviter, gp, practice, other_practice
):
    _invite(inviter, other_practice, "dr.shah")
    holder = factories.sign_in(Client(), gp)
    page = holder.get(reverse("staff:dashboard", kwargs={"ods": practice.ods_code})).content.decode()
    assert "You have an invitation to join another practice." in page and 'id="invitations-link"' in page
