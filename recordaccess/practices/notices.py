"""Emails that tell staff what was done to their own account, so a change they did not make does not go unseen.

Each goes through the one message path that sends a message to one person once (outreach/direct.py), named by
the audit entry of the event, so the same event never sends two. The path lives in outreach, above this app, so
the email is handed to it through the `staff_email` signal (practices/signals.py), which the path answers (ADR
0008). No email names a patient, and none links anywhere: staff sign in the way they always do, so a forged
email has nothing to copy.
"""

from django.utils import timezone

from recordaccess.audit.services import Actor
from recordaccess.practices.models import Membership, Practice, StaffUser
from recordaccess.practices.signals import staff_email

SIGN_OFF = "This is an automatic message from recordaccess, the service your practice uses for online access to records."


def _when(at) -> str:
    local = timezone.localtime(at)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def _by(actor: Actor, practice: Practice | None) -> str:
    if actor.id is None:
        return "the service's operators"
    if practice is None:
        return actor.name
    return f"{actor.name}, an administrator of {practice.name} ({practice.ods_code}),"


def _sending_practice(user: StaffUser, practice: Practice | None) -> Practice | None:
    """The practice the message goes out under (its outbox, when Notify is not set up): where it happened if the
    account belongs there, else one the account already belongs to, so the inviting practice never sees the
    address of someone who is not yet its member."""
    if practice is not None and Membership.objects.filter(user=user, practice=practice).exists():
        return practice
    first = (
        Membership.objects.filter(user=user).select_related("practice").order_by("practice__ods_code").first()
    )
    return first.practice if first else practice


def _send(
    *, user: StaffUser, practice: Practice | None, event: str, subject: str, paragraphs: list[str]
) -> bool:
    sender = _sending_practice(user, practice)
    if not user.email or sender is None:
        return False
    answers = staff_email.send(
        sender=Practice,
        practice=sender,
        reference=f"STAFF-{event}",
        to=user.email,
        subject=subject,
        body="\n\n".join([f"Dear {user.display_name},", *paragraphs, SIGN_OFF]),
    )
    return any(queued for _, queued in answers)


def added_to_practice(
    *, user: StaffUser, practice: Practice, actor: Actor, role_label: str, at, event: int
) -> bool:
    return _send(
        user=user,
        practice=practice,
        event=f"ADD-{event}",
        subject=f"Your recordaccess account was added to {practice.name}",
        paragraphs=[
            f"On {_when(at)}, {_by(actor, None)} added your account {user.username} to {practice.name} "
            f"({practice.ods_code}) as {role_label}.",
            "If you did not expect this, tell your practice manager straight away.",
        ],
    )


def invited(
    *, user: StaffUser, practice: Practice, actor: Actor, role_label: str, at, expires_at, event: int
) -> bool:
    return _send(
        user=user,
        practice=practice,
        event=f"INV-{event}",
        subject=f"You are invited to join {practice.name} on recordaccess",
        paragraphs=[
            f"On {_when(at)}, {_by(actor, practice)} invited your account {user.username} to join "
            f"{practice.name} ({practice.ods_code}) as {role_label}.",
            "Your account joins only if you accept. Sign in to recordaccess as usual: the invitation is on "
            f"your first page, with Accept and Decline. It expires on {_when(expires_at)}.",
            "If you did not expect this, decline it and tell your practice manager.",
        ],
    )


def two_factor_reset(*, user: StaffUser, practice: Practice | None, actor: Actor, at, event: int) -> bool:
    return _send(
        user=user,
        practice=practice,
        event=f"2FA-{event}",
        subject="The authenticator app for your recordaccess account was reset",
        paragraphs=[
            f"On {_when(at)}, {_by(actor, practice)} reset the two-factor sign-in of your account "
            f"{user.username}. Your old authenticator app no longer works. The next time you sign in you will "
            "set up the app again.",
            "If you did not ask for this, sign in now to set up your app yourself, then tell your practice "
            "manager straight away: until you do, whoever signs in with your password sets it up.",
        ],
    )


def password_changed(*, user: StaffUser, practice: Practice | None, actor: Actor, at, event: int) -> bool:
    return _send(
        user=user,
        practice=practice,
        event=f"PWD-{event}",
        subject="The password of your recordaccess account was changed",
        paragraphs=[
            f"On {_when(at)}, {_by(actor, practice)} set a new temporary password for your account "
            f"{user.username}. They will tell you it in person.",
            "If you did not ask for this, tell your practice manager straight away.",
        ],
    )
