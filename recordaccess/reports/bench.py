"""The benchmark ICB of `recordaccess bench_dashboard`: its practices filled with six months of work, written with
the database driver alone (executemany on SQLite, COPY on PostgreSQL), one practice a transaction.

Only the benchmark imports this module (tests/test_request_imports.py). Each practice holds, for N patients:
the register (registered, left and deceased; preferences, access statuses and online accounts spread), three
campaigns (text, email, letter) with one message per patient, replies from a share of them, N/10 requests across
the pipeline with their identity checks, reviews and decisions, conversation slots and bookings, questions and a
daily exclusion snapshot. The data is made by a seeded generator, so two fills are the same.
"""

import datetime
import functools
import random
from collections import Counter
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from recordaccess.assurance.models import ExclusionSnapshot
from recordaccess.conversations.models import Booking, Invitation, Slot
from recordaccess.core.bulk import BulkInsert
from recordaccess.core.nhs_number import check_digit
from recordaccess.intake import priority
from recordaccess.intake.models import ON_LIST, AccessRequest, IdentityCheck, WaitingListPolicy
from recordaccess.outreach.models import Campaign, Message, PatientReply
from recordaccess.patients.models import Cohort, Patient
from recordaccess.patients.names import search_key
from recordaccess.practices.models import (
    Dpia,
    Membership,
    Organisation,
    OrganisationMembership,
    OrganisationPractice,
    Practice,
    StaffUser,
)
from recordaccess.practices.roles import Role
from recordaccess.questions.models import Question, QuestionEntry
from recordaccess.review.models import CodingEntry, Decision, Review

# Reserved for this benchmark: practices Z80000 to Z89999, the ICB and its PCNs. (Other benchmarks use Z9….)
ODS_PREFIX = "Z8"
MAX_PRACTICES = 10_000
ICB_CODE = "Z8ICB"
PCN_SIZE = 10
ICB_NAME = "Benchmark Integrated Care Board"
OBSERVER = "bench-dashboard-icb"  # observes the ICB
PRACTICE_STAFF = "bench-dashboard"  # an administrator of every benchmark practice
DAYS = 183  # the fill's six months, ending now
REQUESTS_PER_PATIENT = 0.1
SEED = 8

GIVEN = ["Alex", "Sam", "Jo", "Priya", "Tomasz", "Aisha", "Chen", "Olu", "Niamh", "Dev"]
FAMILY = ["Smith", "Patel", "Jones", "Nowak", "Okafor", "Murphy", "Khan", "Evans"]


def ods_code(number: int) -> str:
    return f"{ODS_PREFIX}{number:04d}"


def bench_practices():
    """Every benchmark practice, whatever size the last fill had."""
    return Practice.objects.filter(ods_code__regex=rf"^{ODS_PREFIX}[0-9]{{4}}$")


def _nhs_number(i: int) -> str:
    stem = 900_000_000 + i * 10
    while check_digit(f"{stem:09d}") is None:
        stem += 1
    return f"{stem:09d}{check_digit(f'{stem:09d}')}"


# --- emptying ---------------------------------------------------------------------------------------------------


def big_tables() -> list[str]:
    """The tables the fill writes most rows to, quoted."""
    models = (Patient, Message, PatientReply, AccessRequest, IdentityCheck, Review, Decision)
    return [connection.ops.quote_name(model._meta.db_table) for model in models]


def empty() -> None:
    """Remove the benchmark ICB, its PCNs, users and practices with everything in them: the biggest tables with
    raw deletes (no per-row work), then the rest through the ORM's cascades."""
    practices = list(bench_practices().values_list("pk", flat=True))
    raw = [
        (QuestionEntry, "question__practice_id__in"),
        (Question, "practice_id__in"),
        (Booking, "practice_id__in"),
        (Invitation, "practice_id__in"),
        (Slot, "practice_id__in"),
        (CodingEntry, "practice_id__in"),
        (Decision, "practice_id__in"),
        (Review, "practice_id__in"),
        (IdentityCheck, "request__practice_id__in"),
        (PatientReply, "practice_id__in"),
        (AccessRequest, "practice_id__in"),
        (Message, "campaign__practice_id__in"),
        (Patient, "practice_id__in"),
    ]
    with transaction.atomic():
        for model, lookup in raw:
            model.objects.filter(**{lookup: practices})._raw_delete(connection.alias)
        OrganisationMembership.objects.filter(organisation__code__startswith=ICB_CODE).delete()
        Organisation.objects.filter(parent__code=ICB_CODE).delete()
        Organisation.objects.filter(code=ICB_CODE).delete()
        StaffUser.objects.filter(username__in=[OBSERVER, PRACTICE_STAFF]).delete()
        Campaign.objects.filter(practice_id__in=practices).delete()
        Cohort.objects.filter(practice_id__in=practices).delete()
        Practice.objects.filter(pk__in=practices).delete()
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:  # give the deleted rows' pages back
            cursor.execute("VACUUM")


def filled() -> dict | None:
    """The size of the benchmark ICB left by an earlier run (`--keep`), or None if there is none."""
    icb = Organisation.objects.filter(code=ICB_CODE).first()
    if icb is None:
        return None
    practices = bench_practices().count()
    return {
        "practices": practices,
        "patients": Patient.objects.filter(practice__in=bench_practices()).count(),
        "requests": AccessRequest.objects.filter(practice__in=bench_practices()).count(),
        "messages": Message.objects.filter(campaign__practice__in=bench_practices()).count(),
    }


# --- filling ----------------------------------------------------------------------------------------------------


class _Table:
    """Rows for one table: the columns that vary, given per row, then every other column's constant value (its
    default, or `constant`), adapted once. Columns with only a database default are left to the database."""

    def __init__(self, model, varying: list[str], now, **constant):
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        fixed, values = [], []
        for name, field in fields.items():
            if name in varying:
                continue
            if name in constant:
                value = constant[name]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default() or field.null or field.empty_strings_allowed:
                value = field.get_default()
            else:
                continue  # a database default
            fixed.append(name)
            values.append(field.get_db_prep_save(value, connection))
        missing = set(varying) - set(fields)
        assert not missing, f"{model.__name__} has no {missing}"
        self.inserter = BulkInsert(model, [fields[name].column for name in [*varying, *fixed]])
        self.constant = tuple(values)
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, *values) -> None:
        self.rows.append(values + self.constant)

    def flush(self, cursor) -> None:
        if self.rows:
            self.inserter.write(cursor, self.rows)
            self.count += len(self.rows)
            self.rows = []


def _ids(cursor, model, column: str, values: list[int]) -> list[int]:
    """The ids of the rows just written, in the order they were written (one writer: ids rise with the order)."""
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(values))
    cursor.execute(
        f"SELECT id FROM {quote(model._meta.db_table)} WHERE {quote(column)} IN ({marks}) ORDER BY id",  # noqa: S608
        values,
    )
    return [row[0] for row in cursor.fetchall()]


def fill(practices: int, patients_per_practice: int, *, progress: Callable | None = None) -> dict:
    """Empty the benchmark ICB, then fill it again: `practices` practices of `patients_per_practice` patients,
    in PCNs of ten under one ICB, with an observer of the ICB and an administrator of every practice. Returns
    the rows written, by table."""
    empty()
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate(now)
    rng = random.Random(SEED)  # noqa: S311 - reproducible benchmark data
    made = _practices(practices, today, rng)
    _organisations(made)
    counts = Counter(practices=len(made))
    shared = _Shared(patients_per_practice, now)
    shared.campaigns = _campaigns(made, now)
    if connection.vendor == "postgresql":
        # Statistics of the small tables every row points to, so that the database checks each row's foreign
        # keys with their indexes, not by reading the table through (it keeps the first plan it makes).
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE "
                + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Practice, Campaign))
            )
    for done, practice in enumerate(made, start=1):
        with transaction.atomic(), connection.cursor() as cursor:
            counts.update(_practice(practice, done, shared, random.Random(SEED + done), cursor))  # noqa: S311
        if progress:
            progress(done, len(made))
    with connection.cursor() as cursor:
        # As autovacuum and SQLite's optimize would leave the tables after a load: fresh statistics.
        cursor.execute("ANALYZE")
    return dict(counts)


def _practices(count: int, today: datetime.date, rng: random.Random) -> list[Practice]:
    approaches = ["opt_out"] * 6 + ["opt_in"] * 2 + ["hybrid"] * 2
    practices = []
    for n in range(count):
        go_live = today - datetime.timedelta(days=rng.randint(60, DAYS))
        practices.append(
            Practice(
                ods_code=ods_code(n),
                name=f"Benchmark Surgery {n:04d}",
                approach=approaches[n % len(approaches)],
                approach_agreed_on=go_live - datetime.timedelta(days=rng.randint(40, 90)),
                go_live_on=go_live,
                address=f"{n + 1} Bench Road\nLeeds\nLS1 4AP",
            )
        )
    Practice.objects.bulk_create(practices, batch_size=500)
    practices = list(bench_practices().order_by("ods_code"))
    Dpia.objects.bulk_create(
        Dpia(
            practice=p,
            reference=f"DPIA-{p.ods_code}",
            completed_on=p.approach_agreed_on + datetime.timedelta(days=14),
            residual_risk="low",
            review_on=p.approach_agreed_on + datetime.timedelta(days=365),
            measures_approved_by="Practice manager",
            residual_risks_approved_by="Caldicott guardian",
        )
        for p in practices
    )
    staff = StaffUser.objects.create(username=PRACTICE_STAFF, full_name="Benchmark administrator")
    Membership.objects.bulk_create(
        Membership(user=staff, practice=p, role=Role.ADMINISTRATOR) for p in practices
    )
    return practices


def _campaigns(practices: list[Practice], now: datetime.datetime) -> dict[int, dict[str, int]]:
    """Each practice's three campaigns, one a channel, sent to everyone registered six months ago."""
    Cohort.objects.bulk_create(
        Cohort(practice=p, name="Everyone registered", created_by="Benchmark") for p in practices
    )
    cohorts = dict(Cohort.objects.filter(practice__in=practices).values_list("practice_id", "pk"))
    started = now - datetime.timedelta(days=DAYS)
    Campaign.objects.bulk_create(
        Campaign(
            practice=p,
            name=f"Online access: {channel}",
            cohort_id=cohorts[p.pk],
            status="completed",
            created_by="Benchmark author",
            approved_by="Benchmark approver",
            approved_at=started,
            built_at=started,
            skip_told_within_days=0,
        )
        for p in practices
        for channel in ("sms", "email", "letter")
    )
    campaigns = {p.pk: {} for p in practices}
    for pk, practice_id, name in Campaign.objects.filter(practice__in=practices).values_list(
        "pk", "practice_id", "name"
    ):
        campaigns[practice_id][name.rsplit(" ", 1)[-1]] = pk
    return campaigns


def _organisations(practices: list[Practice]) -> None:
    icb = Organisation.objects.create(code=ICB_CODE, name=ICB_NAME, kind="icb")
    links = []
    for start in range(0, len(practices), PCN_SIZE):
        number = start // PCN_SIZE
        pcn = Organisation.objects.create(
            code=f"{ICB_CODE}{number:03d}", name=f"Benchmark PCN {number:03d}", kind="pcn", parent=icb
        )
        links += [
            OrganisationPractice(organisation=pcn, practice=p) for p in practices[start : start + PCN_SIZE]
        ]
    OrganisationPractice.objects.bulk_create(links)
    observer = StaffUser.objects.create(username=OBSERVER, full_name="Benchmark ICB observer")
    OrganisationMembership.objects.create(user=observer, organisation=icb)


class _Shared:
    """What every practice's patients share (NHS numbers, names, dates of birth), worked out once, and the
    adapted form of each minute and day of the six months, so that 2,000,000 rows cost no per-row conversion."""

    def __init__(self, patients: int, now: datetime.datetime):
        self.patients = patients
        self.now = now
        self.adapt_datetime = connection.ops.adapt_datetimefield_value
        self.adapt_date = connection.ops.adapt_datefield_value
        born = datetime.date(1938, 1, 1)
        self.people = []
        for i in range(patients):
            given, family = GIVEN[i % len(GIVEN)], FAMILY[(i // len(GIVEN)) % len(FAMILY)]
            self.people.append(
                (
                    _nhs_number(i),
                    given,
                    family,
                    search_key(given),
                    search_key(family),
                    connection.ops.adapt_datefield_value(born + datetime.timedelta(days=(i * 7919) % 31_000)),
                    ("female", "male", "female", "male", "unknown")[i % 5],
                    f"{i % 300 + 1} Bench Street",
                )
            )

    @functools.cache  # noqa: B019 - one object a fill
    def at(self, minutes_ago: int):
        return self.adapt_datetime(self.now - datetime.timedelta(minutes=minutes_ago))

    @functools.cache  # noqa: B019 - one object a fill
    def on(self, days_ago: int):
        return self.adapt_date(timezone.localdate(self.now) - datetime.timedelta(days=days_ago))


MINUTES = DAYS * 24 * 60
DAY = 24 * 60
PREFERENCES = ("not_known", "wants_access", "no_access", "has_questions")
DELIVERY = (  # (share, status) of texts and emails
    (0.86, "delivered"),
    (0.91, "sent"),
    (0.94, "temporary-failure"),
    (0.985, "permanent-failure"),
    (1.0, "technical-failure"),
)
ROUTES = ("online",) * 11 + ("reply",) * 5 + ("paper",) * 2 + ("phone", "consultation")
PIPELINE = (  # (share, status) of requests for access
    (0.03, "received"),
    (0.08, "matched"),
    (0.15, "identity_verified"),
    (0.35, "waiting"),
    (0.40, "in_review"),
    (1.0, "decided"),
)
OUTCOMES = ((0.75, "granted"), (0.84, "granted_redacted"), (0.93, "deferred"), (1.0, "declined"))
LEVELS = ("prospective", "prospective", "historic", "coded", "summary")
METHODS = ("nhs_login_p9", "nhs_login_p9", "vouching", "vouching_confirmed", "documents")


def _pick(table, r: float) -> str:
    for share, value in table:
        if r < share:
            return value
    return table[-1][1]


def _practice(practice: Practice, number: int, shared: _Shared, rng: random.Random, cursor) -> dict:
    """One practice's six months (the `number`th practice: the same each fill), written in one transaction."""
    now, at, on = shared.now, shared.at, shared.on
    counts = Counter()
    campaigns = shared.campaigns[practice.pk]
    counts["campaigns"] = len(campaigns)

    # Patients, and what each was sent and answered: worked out first, written in order.
    patients = _Table(
        Patient,
        [
            "practice_id",
            "nhs_number",
            "given_name",
            "family_name",
            "given_key",
            "family_key",
            "date_of_birth",
            "sex",
            "address_line_1",
            "mobile",
            "email",
            "registered_on",
            "date_of_death",
            "status",
            "left_on",
            "preference",
            "preference_recorded_at",
            "access_status",
            "last_contacted_at",
            "online_account_since",
            "online_account_seen_on",
            "proxy_access",
        ],
        now,
        town="Leeds",
        postcode="LS1 4AP",
    )
    plan = []  # per patient: (channel, sent minutes ago or None, status, replied minutes ago or None, preference)
    wanting = []  # patients who want access: who the requests come from
    for i, person in enumerate(shared.people):
        nhs, given, family, given_key, family_key, born, sex, line_1 = person
        kind = (i * 37 + number) % 100
        channel = "sms" if kind < 70 else "email" if kind < 90 else "letter"
        r = rng.random()
        status = "registered" if r < 0.94 else "left" if r < 0.98 else "deceased"
        registered_days = rng.randint(0, 40 * 365) if rng.random() > 0.05 else rng.randint(0, DAYS)
        sent = rng.randint(DAY, min(MINUTES, (DAYS - 30) * DAY)) if rng.random() > 0.01 else None
        message_status = (
            "queued" if sent is None else "sent" if channel == "letter" else _pick(DELIVERY, rng.random())
        )
        r = rng.random()
        preference = (
            "not_known"
            if r < 0.55 or sent is None
            else "wants_access"
            if r < 0.77
            else "no_access"
            if r < 0.93
            else "has_questions"
        )
        replied = None if preference == "not_known" else max(1, sent - rng.randint(10, 14 * DAY))
        if preference == "wants_access":
            wanting.append(i)
        r = rng.random()
        if preference == "no_access":
            access = "declined"
        elif preference == "wants_access":
            access = (
                "access_on"
                if r < 0.7
                else "enhanced_review"
                if r < 0.8
                else "withheld"
                if r < 0.83
                else "not_decided"
            )
        else:
            access = "access_on" if r < 0.4 else "enhanced_review" if r < 0.43 else "not_decided"
        account = rng.random() < 0.3
        account_days = rng.randint(0, 3 * 365)
        patients.add(
            practice.pk,
            nhs,
            given,
            family,
            given_key,
            family_key,
            born,
            sex,
            line_1,
            f"07{700_000_000 + i:09d}" if channel == "sms" else "",
            f"patient{i}@example.org" if channel == "email" else "",
            on(registered_days),
            on(rng.randint(0, DAYS)) if status == "deceased" else None,
            status,
            on(rng.randint(0, DAYS)) if status == "left" else None,
            preference,
            at(replied) if replied else None,
            access,
            at(sent) if sent else None,
            on(account_days) if account else None,
            on(min(account_days, DAYS)) if account else None,
            rng.random() < 0.03,
        )
        plan.append((channel, sent, message_status, replied, preference))
    patients.flush(cursor)
    counts["patients"] = patients.count
    patient_ids = _ids(cursor, Patient, "practice_id", [practice.pk])

    # One message per patient, in the campaign of their channel.
    messages = _Table(
        Message,
        [
            "campaign_id",
            "patient_id",
            "channel",
            "reference",
            "reply_code",
            "status",
            "sent_at",
            "created_at",
        ],
        now,
        review_wording=False,
        look_up_first=False,
    )
    for i, (channel, sent, status, _replied, _preference) in enumerate(plan):
        messages.add(
            campaigns[channel],
            patient_ids[i],
            channel,
            f"bench-{practice.ods_code}-{i}",
            f"z{practice.pk:03d}{i:07d}"[-12:],
            status,
            at(sent) if sent and status != "queued" else None,
            at(sent + 10) if sent else at(0),
        )
        if len(messages.rows) == 10_000:
            messages.flush(cursor)
    messages.flush(cursor)
    counts["messages"] = messages.count
    message_ids = _ids(cursor, Message, "campaign_id", list(campaigns.values()))

    # Answers to the messages: a preference told by the link, or a text back.
    replies = _Table(
        PatientReply,
        ["practice_id", "patient_id", "message_id", "source", "preference", "status", "text", "received_at"],
        now,
    )
    for i, (channel, _sent, _status, replied, preference) in enumerate(plan):
        if replied is None or rng.random() > 0.8:
            continue  # told us another way (a call, the form)
        by_text = channel == "sms" and rng.random() < 0.3
        replies.add(
            practice.pk,
            patient_ids[i],
            message_ids[i],
            "sms" if by_text else "link",
            preference,
            "recorded",
            {"wants_access": "YES", "no_access": "NO"}.get(preference, "I have a question")
            if by_text
            else "",
            at(replied),
        )
    replies.flush(cursor)
    counts["replies"] = replies.count

    counts.update(_requests(practice, shared, rng, cursor, plan, patient_ids, wanting))
    counts.update(_around(practice, shared, rng))
    return counts


def _requests(practice, shared, rng, cursor, plan, patient_ids, wanting) -> dict:
    """Requests across the pipeline, from the patients who want access (and a few others), with their identity
    checks, reviews and decisions."""
    n, now, at, on = shared.patients, shared.now, shared.at, shared.on
    weights = priority.Weights.of(WaitingListPolicy())
    count = max(1, round(n * REQUESTS_PER_PATIENT))
    others = sorted(set(range(n)) - set(wanting)) if len(wanting) < count else []
    askers = wanting + others  # mostly those who told us they want access
    rng.shuffle(askers)
    requests = _Table(
        AccessRequest,
        [
            "practice_id",
            "reference",
            "route",
            "wish",
            "status",
            "given_name",
            "family_name",
            "date_of_birth",
            "address",
            "postcode",
            "nhs_number",
            "mobile",
            "email",
            "contact_by",
            "access_level",
            "declarations",
            "patient_id",
            "match_status",
            "fingerprint",
            "clinical_need",
            "has_need",
            "risk_flag",
            "priority_key",
            "on_list",
            "received_at",
            "updated_at",
        ],
        now,
    )
    after = []  # per request: (status, wish, received minutes ago, patient index, access level)
    for j in range(count):
        i = askers[j % len(askers)]
        nhs, given, family, _gk, _fk, born, _sex, line_1 = shared.people[i]
        r = rng.random()
        wish = "wants_access" if r < 0.92 else "no_access" if r < 0.96 else "has_questions"
        if wish == "wants_access":
            status = _pick(PIPELINE, rng.random())
        else:
            status = "decided" if wish == "no_access" else "matched"
        # Decided requests came in earlier; the rest are spread over the six months, the open ones more recent.
        received = rng.randint(3 * DAY, MINUTES - DAY) if status == "decided" else rng.randint(60, 60 * DAY)
        matched = status != "received" or rng.random() < 0.5
        need = rng.choice(("", "", "", "", "", "carer", "long_term_condition"))
        flagged = rng.random() < 0.05
        level = rng.choice(LEVELS) if wish == "wants_access" else ""
        received_at = now - datetime.timedelta(minutes=received)
        key = priority.key(
            base_points=priority.base(need=need, risk_flag=flagged, access_level=level, weights=weights),
            received_at=received_at,
            weights=weights,
        )
        channel = plan[i][0]
        requests.add(
            practice.pk,
            f"b{practice.pk:04d}{j:06d}"[-12:],
            rng.choice(ROUTES),
            wish,
            status,
            given,
            family,
            born,
            line_1,
            "LS1 4AP",
            nhs,
            f"07{700_000_000 + i:09d}" if channel == "sms" else "",
            f"patient{i}@example.org" if channel == "email" else "",
            channel if channel != "letter" else "letter",
            level,
            True,
            patient_ids[i] if matched else None,
            "matched" if matched else ("pending" if rng.random() < 0.5 else "needs_staff"),
            f"{practice.pk:016d}{j:048d}",
            need,
            bool(need),
            flagged,
            key,
            status in ON_LIST and wish == "wants_access",
            at(received),
            at(max(0, received - 60)),
        )
        after.append((status, wish, received, i, level))
    requests.flush(cursor)
    request_ids = _ids(cursor, AccessRequest, "practice_id", [practice.pk])

    checks = _Table(IdentityCheck, ["request_id", "method", "remote", "verified_by", "verified_at"], now)
    reviews = _Table(
        Review,
        [
            "request_id",
            "practice_id",
            "reviewer",
            "claimed_at",
            "first_claimed_at",
            "flags_considered",
            "third_party",
            "serious_harm",
            "coercion",
            "results_pending",
            "updated_by",
        ],
        now,
    )
    decisions = _Table(
        Decision,
        [
            "request_id",
            "practice_id",
            "patient_id",
            "outcome",
            "access_level",
            "access_from",
            "reason",
            "message",
            "minutes_spent",
            "decided_by",
            "decided_role",
            "decided_at",
        ],
        now,
        answered_by={},
    )
    verified = ("identity_verified", "waiting", "in_review", "decided")
    for request_id, (status, wish, received, i, level) in zip(request_ids, after, strict=True):
        if wish != "wants_access":
            if status == "decided":  # a "no": recorded as the patient's own decision
                decided = max(0, received - rng.randint(1, 3 * DAY))
                decisions.add(
                    request_id, practice.pk, patient_ids[i], "patient_declined", "", None, "", "answered",
                    None, "Benchmark reception", "reception", at(decided),
                )  # fmt: skip
            continue
        if status not in verified:
            continue
        checked = max(1, received - rng.randint(30, 5 * DAY))
        checks.add(request_id, rng.choice(METHODS), rng.random() < 0.6, "Benchmark reception", at(checked))
        if status not in ("in_review", "decided"):
            continue
        claimed = max(0, checked - rng.randint(60, 25 * DAY))
        done = status == "decided"
        answer = "none" if done else ""
        reviews.add(
            request_id, practice.pk, "" if done else "Dr Bench", None if done else at(claimed), at(claimed),
            done, answer, answer, answer, answer, "Dr Bench",
        )  # fmt: skip
        if done:
            decided = max(0, claimed - rng.randint(10, 2 * DAY))
            outcome = _pick(OUTCOMES, rng.random())
            granted = outcome.startswith("granted")
            decisions.add(
                request_id, practice.pk, patient_ids[i], outcome, level if granted else "",
                on(decided // DAY) if granted else None, "" if granted else "Benchmark reason",
                "queued", rng.randint(3, 40), "Dr Bench", "reviewer", at(decided),
            )  # fmt: skip
    for table in (checks, reviews, decisions):
        table.flush(cursor)
    return {
        "requests": requests.count,
        "identity_checks": checks.count,
        "reviews": reviews.count,
        "decisions": decisions.count,
    }


def _around(practice, shared, rng) -> dict:
    """The smaller tables, through the ORM: conversation slots and bookings, questions, exclusion snapshots."""
    now = shared.now
    today = timezone.localdate(now)
    slots = []
    for week in range((DAYS + 28) // 7):  # and four weeks ahead
        monday = now - datetime.timedelta(days=DAYS - 7 * week)
        for hour in (10, 14):
            slots.append(
                Slot(
                    practice=practice,
                    host="Dr Bench",
                    starts_at=monday.replace(hour=hour, minute=0),
                    mode=("phone", "in_person", "video")[hour % 3],
                    booked=0,
                    created_by="Benchmark",
                )
            )
        if week % 4 == 0:
            slots.append(
                Slot(
                    practice=practice,
                    kind="drop_in",
                    host="Practice team",
                    starts_at=monday.replace(hour=17, minute=0),
                    minutes=120,
                    mode="in_person",
                    places=10,
                    booked=0,
                    where="Waiting room",
                    created_by="Benchmark",
                )
            )
    for slot in slots:
        slot.booked = rng.randint(0, slot.places) if rng.random() < 0.6 else 0
    Slot.objects.bulk_create(slots)
    bookings = [
        Booking(
            slot=slot,
            practice=practice,
            name=f"Bench patient {k}",
            booked_by="patient",
            phone=f"07{800_000_000 + k:09d}" if slot.kind == "drop_in" else "",
            attendance=("attended", "attended", "did_not_come")[k % 3] if slot.starts_at < now else "",
        )
        for slot in slots
        for k in range(slot.booked)
    ]
    Booking.objects.bulk_create(bookings)
    topics = ("what_you_see", "past_record", "results", "turn_off", "proxy", "how_long", "other")
    routes = ("form", "link", "sms", "faq", "call", "drop_in")
    questions = _Table(
        Question,
        [
            "practice_id",
            "reference",
            "route",
            "topic",
            "state",
            "due_on",
            "asked_at",
            "answered_at",
            "answered_by",
        ],
        now,
        text="Will I see my test results before the GP has talked to me?",
        name="Bench patient",
        mobile="07700900000",
    )
    for q in range(max(1, shared.patients // 200)):
        asked = rng.randint(60, MINUTES)
        answered = rng.random() < 0.8
        questions.add(
            practice.pk,
            f"q{practice.pk:04d}{q:06d}"[-12:],
            routes[q % len(routes)],
            topics[q % len(topics)],
            "answered" if answered else rng.choice(("new", "assigned", "waiting", "clinician")),
            shared.on(asked // DAY - 3),
            shared.at(asked),
            shared.at(max(0, asked - rng.randint(60, 4 * DAY))) if answered else None,
            "Benchmark reception" if answered else "",
        )
    with connection.cursor() as cursor:
        questions.flush(cursor)
    registered = round(shared.patients * 0.94)
    snapshots = []
    for day in range(DAYS):
        withheld, review, flagged = 3 + day // 30, 20 + day // 10, 40 + (day * 7) % 11
        snapshots.append(
            ExclusionSnapshot(
                practice=practice,
                day=today - datetime.timedelta(days=DAYS - 1 - day),
                registered=registered,
                held_back=withheld + review + flagged,
                by_reason={"withheld": withheld, "enhanced_review": review, "flagged": flagged},
            )
        )
    ExclusionSnapshot.objects.bulk_create(snapshots)
    return {
        "slots": len(slots),
        "bookings": len(bookings),
        "questions": questions.count,
        "exclusion_snapshots": len(snapshots),
    }
