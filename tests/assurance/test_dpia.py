"""The DPIA step by step: the default register, step statuses, versions, the sign-off that writes the practice's
DPIA record, the ICO warning on a residual high risk, and every refusal in plain words."""

import datetime

import pytest
from django.utils import timezone

from recordaccess.assurance import services, steps
from recordaccess.assurance.defaults import CONTROLS, DEFAULT_REGISTER
from recordaccess.assurance.models import Assessment, Risk
from recordaccess.audit.models import AuditEntry
from recordaccess.core.errors import NotFound
from recordaccess.practices.models import Dpia
from recordaccess.practices.readiness import missing_before_patients
from recordaccess.practices.services import update_practice
from tests.assurance.conftest import ACTOR, SIGN_OFF, TEXT, ready_to_sign, review_date

pytestmark = pytest.mark.django_db


def _fields(error) -> dict:
    return dict(error.value.errors)


def test_the_default_register_has_the_eight_risks_each_with_a_control_of_the_service(practice):
    added = services.add_default_register(actor=ACTOR, practice=practice)
    assert [risk.default_key for risk in added] == [
        "coercion",
        "third_party",
        "harmful",
        "wrong_patient",
        "proxy",
        "identity_fraud",
        "workload",
        "messages",
    ]
    assert all(risk.control in CONTROLS for risk in added)
    assert {CONTROLS[r.control].url_name for r in added} == {
        "staff:patients",
        "staff:waiting_list",
        "staff:requests",
        "staff:templates",
        "staff:capacity",
    }
    # Offered once: a second press adds nothing; a removed one comes back.
    assert services.add_default_register(actor=ACTOR, practice=practice) == []
    services.remove_risk(actor=ACTOR, practice=practice, risk_id=added[0].pk)
    assert [r.default_key for r in services.add_default_register(actor=ACTOR, practice=practice)] == [
        "coercion"
    ]
    # Suggested measures are not approvals: step 6 waits for the practice's decision on each.
    draft = Assessment.objects.get(practice=practice)
    assert steps.status(draft, steps.BY_SLUG["measures"]) == steps.IN_PROGRESS
    assert len(DEFAULT_REGISTER) == 8


def test_each_step_shows_not_started_in_progress_and_done(practice):
    assert [state for _, state in steps.statuses(None)] == [steps.NOT_STARTED] * 7
    services.save_step(actor=ACTOR, practice=practice, slug="processing", nature="Something")
    draft = Assessment.objects.get(practice=practice)
    by_slug = {step.slug: state for step, state in steps.statuses(draft)}
    assert by_slug["processing"] == steps.IN_PROGRESS and by_slug["need"] == steps.NOT_STARTED
    services.add_consultation(
        actor=ACTOR, practice=practice, consulted="ppg", who="PPG", held_on=timezone.localdate(), said="Yes"
    )
    assert steps.status(draft, steps.BY_SLUG["consultation"]) == steps.IN_PROGRESS  # the DPO not yet asked
    ready_to_sign(practice)
    draft.refresh_from_db()
    assert [state for _, state in steps.statuses(draft)] == [steps.DONE] * 6 + [steps.NOT_STARTED]


def test_sign_off_freezes_the_version_and_writes_the_practices_dpia_record(practice, signed):
    version = signed()
    assert version.is_signed and version.number == 1 and version.residual_risk == "medium"
    assert version.approach == practice.approach and not version.ico_consultation_required
    dpia = Dpia.objects.get(practice=practice)
    assert (dpia.reference, dpia.completed_on, dpia.review_on, dpia.residual_risk) == (
        "DPIA-2026-7",
        timezone.localdate(),
        review_date(),
        "medium",
    )
    assert dpia.dpo_advice_outcome == "accepted" and dpia.measures_approved_by == "Pat Morgan"
    assert missing_before_patients(practice) == []  # the gate on every message reads what was signed
    actions = list(AuditEntry.objects.filter(practice_ods=practice.ods_code).values_list("action", flat=True))
    assert "dpia_version.sign_off" in actions and "dpia.update" in actions


def test_a_signed_version_never_changes_and_a_new_version_is_a_copy(practice, signed):
    first = signed()
    risk = first.risks.first()
    with pytest.raises(services.DpiaError, match="Version 1 is signed off"):
        services.save_step(actor=ACTOR, practice=practice, slug="need", need="Changed")
    with pytest.raises(services.DpiaError, match="signed off"):
        services.update_risk(
            actor=ACTOR,
            practice=practice,
            risk_id=risk.pk,
            title="x",
            source="y",
            likelihood="remote",
            severity="minimal",
        )
    second = services.start_new_version(actor=ACTOR, practice=practice)
    assert second.number == 2 and not second.is_signed
    assert services.start_new_version(actor=ACTOR, practice=practice) == second  # one draft at a time
    assert second.need == TEXT["need"] and second.risks.count() == 8 and second.consultations.count() == 1
    assert second.reference == ""  # the sign-off is the new version's own
    # Changing the draft leaves version 1 as it was signed.
    services.save_step(actor=ACTOR, practice=practice, slug="need", need="A new need")
    copied = second.risks.get(default_key=risk.default_key)
    services.update_risk(
        actor=ACTOR,
        practice=practice,
        risk_id=copied.pk,
        title="Changed",
        source="y",
        likelihood="remote",
        severity="minimal",
    )
    first.refresh_from_db()
    assert first.need == TEXT["need"] and first.risks.get(pk=risk.pk).title == risk.title
    # The practice's DPIA record stays the signed one until version 2 is signed off.
    assert Dpia.objects.get(practice=practice).reference == "DPIA-2026-7"


def test_a_residual_high_risk_needs_the_ico_acknowledged_and_the_version_records_it(practice):
    ready_to_sign(practice, high=True)
    with pytest.raises(services.DpiaError) as refused:
        services.sign_off(actor=ACTOR, practice=practice, signer=None, review_on=review_date(), **SIGN_OFF)
    assert "the ICO will be consulted before processing starts" in _fields(refused)["ico_acknowledged"]
    version = services.sign_off(
        actor=ACTOR,
        practice=practice,
        signer=None,
        review_on=review_date(),
        ico_acknowledged=True,
        **SIGN_OFF,
    )
    assert version.residual_risk == "high" and version.ico_consultation_required
    assert Dpia.objects.get(practice=practice).needs_ico_consultation


def test_sign_off_refuses_unfinished_steps_and_each_bad_answer_in_words(practice):
    services.save_step(actor=ACTOR, practice=practice, slug="need", need="Why")
    with pytest.raises(services.DpiaError) as refused:
        services.sign_off(
            actor=ACTOR,
            practice=practice,
            signer=None,
            review_on=timezone.localdate(),
            dpo_advice_outcome="overruled",
        )
    fields = _fields(refused)
    assert fields["reference"] == "Enter the DPIA's reference"
    assert fields["dpo_overruled_reason"] == "Say why the DPO's advice was overruled"
    assert fields["review_on"] == "The date of the next review must be in the future"
    assert fields["kept_under_review_by"] == "Enter who will keep the DPIA under review"
    assert "Step 2, describe the processing, is not done." in [
        text for f, text in refused.value.errors if f is None
    ]
    assert not Assessment.objects.get(practice=practice).is_signed


def test_risk_and_measure_refusals_name_each_field(practice):
    with pytest.raises(services.DpiaError) as refused:
        services.add_risk(
            actor=ACTOR, practice=practice, title=" ", source="", likelihood="often", severity=""
        )
    assert _fields(refused) == {
        "title": "Enter the risk, in a few words",
        "source": "Enter the source of the risk: who or what could cause the harm",
        "likelihood": "Choose how likely the harm is",
        "severity": "Choose how severe the harm would be",
    }
    risk = services.add_risk(
        actor=ACTOR, practice=practice, title="T", source="S", likelihood="possible", severity="serious"
    )
    assert risk.level == "high"
    with pytest.raises(services.DpiaError) as refused:
        services.save_measures(actor=ACTOR, practice=practice, risk_id=risk.pk, measures="", approved="maybe")
    assert set(_fields(refused)) == {
        "measures",
        "effect",
        "residual_likelihood",
        "residual_severity",
        "approved",
    }
    with pytest.raises(services.DpiaError) as refused:
        services.add_consultation(
            actor=ACTOR,
            practice=practice,
            consulted="dpo",
            who="DPO",
            held_on=timezone.localdate() + datetime.timedelta(days=1),
            said="x",
        )
    assert _fields(refused) == {"held_on": "The date of the consultation must be today or in the past"}


def test_another_practices_risk_is_not_found(practice, other_practice):
    risk = services.add_risk(
        actor=ACTOR, practice=other_practice, title="T", source="S", likelihood="remote", severity="some"
    )
    with pytest.raises(NotFound):
        services.remove_risk(actor=ACTOR, practice=practice, risk_id=risk.pk)
    assert Risk.objects.filter(pk=risk.pk).exists()


def test_every_change_is_audited_with_its_version(practice, signed):
    signed()
    entries = AuditEntry.objects.filter(practice_ods=practice.ods_code, object_type="assessment")
    actions = set(entries.values_list("action", flat=True))
    assert {
        "dpia_version.start",
        "dpia_step.save",
        "dpia_consultation.add",
        "dpia_risk.defaults",
        "dpia_risk.measures",
        "dpia_version.sign_off",
    } <= actions
    assert all('"version":1' in entry.detail.replace(" ", "") for entry in entries)


def test_a_change_of_approach_after_sign_off_is_announced(practice, signed):
    signed()
    notices: list[str] = []
    other = "opt_in" if practice.approach != "opt_in" else "opt_out"
    update_practice(actor=ACTOR, practice=practice, notices=notices, approach=other)
    assert any("The DPIA (version 1) was signed off for another approach" in n for n in notices)
