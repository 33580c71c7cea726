"""The demo practice and one staff account per role, with known passwords and authenticator keys.

Demo mode only. The TOTP keys are fixed so that a person adds them to an authenticator app once and keeps
using them after the demo database is reset.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from recordaccess.audit.services import Actor
from recordaccess.practices import services
from recordaccess.practices.models import Approach, Practice, StaffUser
from recordaccess.practices.roles import Role
from recordaccess.practices.selectors import practice_by_ods

DEMO_ODS = "Y12345"
ACTOR = Actor.system("command:demo")


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    username: str
    full_name: str
    password: str

    @property
    def totp_key_hex(self) -> str:
        """20 bytes, as django-otp stores them: fixed for each demo account, different between them."""
        return hashlib.sha1(f"recordaccess demo {self.username}".encode(), usedforsecurity=False).hexdigest()


DEMO_ACCOUNTS = [
    DemoAccount(
        Role.ADMINISTRATOR,
        "demo-admin",
        "Pat Morgan (practice manager)",
        "demo admin passphrase",
    ),
    DemoAccount(
        Role.ADMINISTRATOR,
        "demo-ig",
        "Chris Evans (IG lead: approves what the practice manager writes)",
        "demo ig passphrase",
    ),
    DemoAccount(
        Role.REVIEWER,
        "demo-reviewer",
        "Dr Amira Shah",
        "demo reviewer passphrase",
    ),
    DemoAccount(
        Role.RECEPTION,
        "demo-reception",
        "Sam Okafor",
        "demo reception passphrase",
    ),
    DemoAccount(
        Role.OBSERVER,
        "demo-observer",
        "Jo Lee (ICB)",
        "demo observer passphrase",
    ),
]


# A PCN holding the demo practice, inside an ICB, and an observer of the ICB: the roll-up and the monthly return.
DEMO_ICB = ("Q99", "West Moor ICB (demo)")
DEMO_PCN = ("U99999", "Riverside and Wharf PCN (demo)")
DEMO_ORGANISATION_ACCOUNT = DemoAccount(
    Role.OBSERVER, "demo-icb", "Morgan Price (ICB digital lead)", "demo icb passphrase"
)


def demo_organisation():
    """The demo ICB, whose observer the demo's organisation account is."""
    from recordaccess.practices.selectors import organisation_by_code

    return organisation_by_code(DEMO_ICB[0])


def demo_organisation_device() -> TOTPDevice | None:
    """The organisation account's authenticator, if the account still observes the demo ICB."""
    account = DEMO_ORGANISATION_ACCOUNT
    return (
        TOTPDevice.objects.filter(
            user__username=account.username,
            user__organisation_memberships__organisation__code=DEMO_ICB[0],
            key=account.totp_key_hex,
            confirmed=True,
        )
        .select_related("user")
        .first()
    )


def demo_practice() -> Practice | None:
    return practice_by_ods(DEMO_ODS)


def demo_device(*, practice: Practice, account: DemoAccount) -> TOTPDevice | None:
    """The account's authenticator with its fixed key, if the account is still on the practice's staff."""
    return (
        TOTPDevice.objects.filter(
            user__username=account.username,
            user__memberships__practice=practice,
            key=account.totp_key_hex,
            confirmed=True,
        )
        .select_related("user")
        .first()
    )


def is_loaded(practice: Practice | None) -> bool:
    """Whether every demo account can sign in to the practice, so that the printed logins work.

    A Y12345 made by hand (with `add_practice`) is not loaded yet: the demo fills it in.
    """
    return (
        practice is not None
        and all(demo_device(practice=practice, account=account) for account in DEMO_ACCOUNTS)
        and demo_organisation_device() is not None
    )


def load(*, practice: Practice | None, report) -> Practice:
    """Create what is missing of the demo practice and its staff; leave what is there alone."""
    if practice is None:
        # Hybrid shows every part of the service: opt-out for most, opt-in for the higher-risk patients.
        practice = services.create_practice(
            actor=ACTOR,
            ods_code=DEMO_ODS,
            name="Riverside Surgery (demo)",
            approach=Approach.HYBRID,
            address="Riverside Health Centre\n12 Wharf Street\nLeeds\nLS2 7EQ",
            phone="0113 496 0123",
            website="https://riverside-surgery.example",
        )
        report("practice", 1)
    else:
        report("practice", 0)
    if not practice.dpia.is_recorded:
        services.update_dpia(
            actor=ACTOR,
            practice=practice,
            reference="RS-DPIA-2023-01",
            completed_on=datetime.date(2023, 10, 6),
            measures_approved_by="Pat Morgan, practice manager",
            residual_risks_approved_by="Dr Amira Shah, partner",
            dpo_advice="Proceed with a hybrid model: enhanced review for patients with safeguarding codes.",
            dpo_advice_outcome="accepted",
            residual_risk="medium",
            review_on=datetime.date(2026, 10, 6),
            url="https://riverside-surgery.example/dpia",
        )
    if practice.approach_agreed_on is None:
        services.update_practice(
            actor=ACTOR,
            practice=practice,
            approach_agreed_on=datetime.date(2023, 10, 20),
            go_live_on=timezone.localdate() + datetime.timedelta(days=28),  # messages say when access starts
        )
    created = 0
    for account in DEMO_ACCOUNTS:
        user = StaffUser.objects.filter(username=account.username).first()
        if user is None:
            user = services.add_staff_member(
                actor=ACTOR,
                practice=practice,
                username=account.username,
                role=account.role,
                password=account.password,
                full_name=account.full_name,
                email=f"{account.username}@riverside-surgery.example",
            )
            created += 1
        elif not user.memberships.filter(practice=practice).exists():
            services.add_to_practice_by_operator(actor=ACTOR, practice=practice, user=user, role=account.role)
            created += 1
        TOTPDevice.objects.update_or_create(
            user=user, name="Demo authenticator", defaults={"key": account.totp_key_hex, "confirmed": True}
        )
    report("staff accounts", created)
    _load_organisations(practice, report)
    return practice


def _load_organisations(practice: Practice, report) -> None:
    """The demo ICB and its PCN holding the demo practice, and the ICB's observer; what is there is left alone."""
    from recordaccess.practices.models import OrganisationKind
    from recordaccess.practices.selectors import organisation_by_code

    made = 0
    icb = organisation_by_code(DEMO_ICB[0])
    if icb is None:
        icb = services.create_organisation(
            actor=ACTOR, code=DEMO_ICB[0], name=DEMO_ICB[1], kind=OrganisationKind.ICB
        )
        made += 1
    pcn = organisation_by_code(DEMO_PCN[0])
    if pcn is None:
        pcn = services.create_organisation(
            actor=ACTOR, code=DEMO_PCN[0], name=DEMO_PCN[1], kind=OrganisationKind.PCN, parent_code=icb.code
        )
        made += 1
    services.change_organisation_practices(actor=ACTOR, organisation=pcn, add=[practice.ods_code])
    report("organisations", made)
    account = DEMO_ORGANISATION_ACCOUNT
    user = StaffUser.objects.filter(username=account.username).first()
    if user is None:
        user = services.add_organisation_observer_account(
            actor=ACTOR,
            organisation=icb,
            username=account.username,
            password=account.password,
            full_name=account.full_name,
            email=f"{account.username}@west-moor-icb.example",
        )
        report("staff accounts", 1)
    elif services.add_organisation_observer(actor=ACTOR, organisation=icb, user=user):
        report("staff accounts", 1)
    TOTPDevice.objects.update_or_create(
        user=user, name="Demo authenticator", defaults={"key": account.totp_key_hex, "confirmed": True}
    )
