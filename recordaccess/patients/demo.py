"""2,000 synthetic patients for the demo practice: Faker's en_GB names and addresses, test-range NHS numbers,
mobiles in Ofcom's drama range and emails at example.com, so nothing can reach a real person."""

import datetime
import random

from faker import Faker

from recordaccess.patients import nhs_number
from recordaccess.patients.models import Patient, Sex

DEMO_PATIENTS = 2000
BATCH = 500


def test_range_nhs_numbers(rng: random.Random):
    """Valid NHS numbers in the 999 range that NHS England keeps for test data."""
    seen = set()
    while True:
        stem = f"999{rng.randrange(1_000_000):06d}"
        digit = nhs_number.check_digit(stem)
        if digit is not None and stem not in seen:
            seen.add(stem)
            yield f"{stem}{digit}"


def drama_mobile(rng: random.Random) -> str:
    """Ofcom's drama range 07700 900000–900999: numbers that are never given to anyone."""
    return f"07700 900{rng.randrange(1000):03d}"


def load(*, practice, report) -> None:
    have = practice.patients.count()
    if have >= DEMO_PATIENTS:
        report("patients", 0)
        return
    fake = Faker("en_GB")
    fake.seed_instance(20231031)
    rng = random.Random(20231031)  # noqa: S311 - reproducible synthetic data, not security
    existing = set(practice.patients.values_list("nhs_number", flat=True))
    numbers = (n for n in test_range_nhs_numbers(rng) if n not in existing)
    today = datetime.date.today()
    batch = []
    for i in range(DEMO_PATIENTS - have):
        sex = rng.choice([Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.MALE, Sex.OTHER, Sex.UNKNOWN])
        given = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
        family = fake.last_name()
        batch.append(
            Patient(
                practice=practice,
                nhs_number=next(numbers),
                given_name=given,
                family_name=family,
                date_of_birth=today - datetime.timedelta(days=rng.randrange(0, 95 * 365)),
                sex=sex,
                address_line_1=fake.street_address().replace("\n", ", "),
                town=fake.city(),
                postcode=fake.postcode(),
                mobile=drama_mobile(rng) if rng.random() < 0.8 else "",
                email=f"{given}.{family}{i}@example.com".lower().replace(" ", "").replace("'", "")
                if rng.random() < 0.6
                else "",
            )
        )
        if len(batch) == BATCH:
            Patient.objects.bulk_create(batch)
            batch = []
    Patient.objects.bulk_create(batch)
    report("patients", DEMO_PATIENTS - have)
