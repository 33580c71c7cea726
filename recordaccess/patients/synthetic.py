"""Synthetic register exports, shaped like an EMIS Web search, for the demo and the import benchmark.

Nothing here can reach a real person: NHS numbers come from ranges NHS England does not issue to patients
(the demo uses the 999 test range), mobiles from Ofcom's drama range and emails from example.com. Names
and streets come from small pools that Faker fills once, so a million rows take seconds, not minutes.
"""

import datetime
import random
from collections.abc import Iterator
from pathlib import Path

from faker import Faker

from recordaccess.core import spreadsheet
from recordaccess.core.nhs_number import check_digit

HEADERS = [
    "NHS Number",
    "Forename",
    "Surname",
    "Date of Birth",
    "Sex",
    "Address Line 1",
    "Address Line 2",
    "Town",
    "Postcode",
    "Mobile Telephone",
    "Email Address",
    "Registration Date",
]


def nhs_numbers(rng: random.Random, *, first_stem: int) -> Iterator[str]:
    """Unique valid NHS numbers, counting up from a nine-digit stem and skipping stems with no check digit."""
    stem = first_stem
    while True:
        digits = f"{stem:09d}"
        digit = check_digit(digits)
        if digit is not None:
            yield digits + str(digit)
        stem += 1 + rng.randrange(3)


def export_rows(
    count: int, *, seed: int = 20231031, first_stem: int = 999_000_000, today=None
) -> Iterator[list[str]]:
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not security
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    women = [fake.first_name_female() for _ in range(300)]
    men = [fake.first_name_male() for _ in range(300)]
    surnames = [fake.last_name() for _ in range(1000)]
    streets = [fake.street_address().replace("\n", ", ") for _ in range(1000)]
    towns = [fake.city() for _ in range(200)]
    postcodes = [fake.postcode() for _ in range(1000)]
    today = today or datetime.date.today()
    numbers = nhs_numbers(rng, first_stem=first_stem)
    # Ofcom's drama range holds only 1,000 mobiles: deal them out in turn so that as few patients share one.
    mobiles = [f"07700 900{n:03d}" for n in range(1000)]
    rng.shuffle(mobiles)
    for i in range(count):
        sex = rng.choice("FFMMFMU")
        given = rng.choice(women if sex == "F" else men)
        family = rng.choice(surnames)
        born = today - datetime.timedelta(days=rng.randrange(0, 95 * 365))
        registered = max(born, today - datetime.timedelta(days=rng.randrange(0, 30 * 365)))
        yield [
            next(numbers),
            given,
            family,
            born.strftime("%d/%m/%Y"),
            sex,
            f"Flat {rng.randrange(1, 30)}" if rng.random() < 0.2 else "",
            rng.choice(streets),
            rng.choice(towns),
            rng.choice(postcodes),
            mobiles[i % len(mobiles)] if rng.random() < 0.8 else "",
            f"{given}.{family}{i}@example.com".lower().replace(" ", "").replace("'", "")
            if rng.random() < 0.6
            else "",
            registered.strftime("%d/%m/%Y"),
        ]


def write_export(path: Path, count: int, **options) -> Path:
    """Write an export as EMIS does: UTF-8 with a byte-order mark, CRLF line ends."""
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = spreadsheet.writer(stream)
        writer.writerow(HEADERS)
        writer.writerows(export_rows(count, **options))
    return path
