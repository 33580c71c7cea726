"""THE rule of an organisation's pages: its observer walks every one of them, and every CSV, and sees every
practice of the organisation and no patient-identifiable value anywhere."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.practices.access import OrganisationAccess, access_rules
from recordaccess.reports.tables import SLUGS

pytestmark = pytest.mark.django_db


def every_organisation_response(client, world) -> dict[str, str]:
    """Each organisation page and CSV, with the default dates, other dates, each sort, and a month; and each
    practice's drill-down."""
    code = world.icb.code
    month = f"{timezone.localdate().replace(day=1) - datetime.timedelta(days=1):%Y-%m}"
    urls = [
        reverse("staff:organisation", kwargs={"code": code}),
        reverse("staff:organisation", kwargs={"code": code})
        + f"?start={timezone.localdate() - datetime.timedelta(days=365)}&end="
        + timezone.localdate().isoformat(),
        *(
            reverse("staff:organisation", kwargs={"code": code}) + f"?sort={key}&order=desc"
            for key in ("practice", "patients", "waiting", "excluded", "dpia", "plan")
        ),
        reverse("staff:organisation_csv", kwargs={"code": code}),
        reverse("staff:organisation_csv", kwargs={"code": code})
        + f"?start={timezone.localdate() - datetime.timedelta(days=365)}",
        reverse("staff:organisation_pomi", kwargs={"code": code}),
        reverse("staff:organisation_pomi", kwargs={"code": code}) + f"?month={month}",
        reverse("staff:organisation_pomi_csv", kwargs={"code": code}) + f"?month={month}",
        *(
            reverse("staff:organisation_practice", kwargs={"code": code, "ods": practice.ods_code})
            for practice in (world.in_pcn, world.in_icb)
        ),
        *(
            reverse("staff:organisation_practice_csv", kwargs={"code": code, "ods": practice.ods_code})
            for practice in (world.in_pcn, world.in_icb)
        ),
        *(
            reverse(
                "staff:organisation_practice_chart_csv",
                kwargs={"code": code, "ods": world.in_pcn.ods_code, "chart": chart},
            )
            for chart in SLUGS
        ),
    ]
    walked = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        walked[url] = response.content.decode()
    names = {name for name, rule in access_rules().items() if rule is OrganisationAccess.OBSERVER}
    assert {client.get(url).resolver_match.view_name for url in urls} == names  # every page walked
    return walked


def test_an_organisation_observer_sees_every_practice_and_no_patient_identifiable_field(
    observer_client, world
):
    walked = every_organisation_response(observer_client, world)
    assert (
        len(world.identifying) > 40
    )  # names, NHS numbers, dates of birth, postcodes, phones, emails, references
    for url, text in walked.items():
        found = [value for value in world.identifying if value in text]
        assert not found, f"{url} shows {found}"
    rollup = walked[reverse("staff:organisation", kwargs={"code": world.icb.code})]
    csv_text = walked[reverse("staff:organisation_csv", kwargs={"code": world.icb.code})]
    pomi_text = next(text for url, text in walked.items() if "pomi.csv" in url)
    for practice in (world.in_pcn, world.in_icb):
        assert practice.name in rollup and practice.ods_code in csv_text and practice.ods_code in pomi_text
    assert world.outside.ods_code not in rollup + csv_text + pomi_text


def test_the_walk_would_catch_a_patient_shown(observer_client, world):
    """The check is not empty: the fixtures' values are on the practice's own patient pages."""
    from recordaccess.practices.roles import Role
    from tests import factories

    factories.sign_in(observer_client, factories.staff(world.in_pcn, Role.RECEPTION))
    page = observer_client.get(
        reverse("staff:waiting_list", kwargs={"ods": world.in_pcn.ods_code})
    ).content.decode()
    assert [value for value in world.identifying if value in page]
