"""A practice's own monthly return, for its administrators."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from recordaccess.practices.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_administrator_downloads_the_practices_own_return(client, world):
    factories.sign_in(client, factories.staff(world.in_pcn, Role.ADMINISTRATOR))
    end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    page = client.get(reverse("staff:pomi", kwargs={"ods": world.in_pcn.ods_code}))
    assert page.status_code == 200 and f"?month={end:%Y-%m}" in page.content.decode()
    response = client.get(
        reverse("staff:pomi_csv", kwargs={"ods": world.in_pcn.ods_code}), {"month": f"{end:%Y-%m}"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["practice_code"], row["field"]) for row in rows] == [
        ("B00001", "patient_list_size"),
        ("B00001", "Total_Pat_Enbld"),
        ("B00001", "Pat_DetCodeRec_Enbld"),
    ]
    assert {row["organisation_code"] for row in rows} == {""}
    assert rows[0]["value"] == "4"


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.RECEPTION, Role.OBSERVER])
def test_other_roles_are_refused(client, world, role):
    factories.sign_in(client, factories.staff(world.in_pcn, role))
    assert client.get(reverse("staff:pomi_csv", kwargs={"ods": world.in_pcn.ods_code})).status_code == 403
