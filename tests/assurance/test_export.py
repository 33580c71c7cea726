"""The plan's exports read back: the PDF with pypdf, the Word document with python-docx, the Markdown as text. Each
holds every key consideration, the DPIA's seven steps and each risk with its residual level; the command's
errors and exit codes."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from recordaccess.assurance import demo_plan, export, steps
from recordaccess.assurance import plan as plans
from recordaccess.assurance.models import Assessment
from recordaccess.audit.models import AuditEntry
from recordaccess.conversations.services import create_slot
from recordaccess.intake.waiting_list import save_policy
from tests.assurance.conftest import ACTOR

pytestmark = pytest.mark.django_db


def complete(practice, signed):
    """A practice whose plan has every section done: a signed DPIA, a slot, a target and the practice's words."""
    signed()
    create_slot(
        actor=ACTOR,
        practice=practice,
        host="Nurse Lee",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        minutes=15,
        mode="phone",
    )
    save_policy(actor=ACTOR, practice=practice, target_days=21)
    demo_plan.fill(ACTOR, practice)


def text_of(fmt: str, body: bytes) -> str:
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if fmt == "docx":
        word = Document(io.BytesIO(body))
        cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells)
    return body.decode()


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "md"])
def test_each_export_holds_every_consideration_the_seven_steps_and_each_risks_residual_level(
    practice, signed, fmt
):
    complete(practice, signed)
    approved = plans.approve(actor=ACTOR, practice=practice, approver_name="Pat Morgan")
    text = squash(text_of(fmt, export.render(export.build(practice, approved), fmt)))
    for title in plans.TITLES.values():
        assert title in text, title
    for step in steps.STEPS:
        assert f"Step {step.number}: {step.title}" in text
    assessment = Assessment.objects.get(practice=practice)
    for risk in assessment.risks.all():
        assert risk.title in text
    assert text.count("Residual level: ") >= assessment.risks.count()
    assert "The risk matrix after the measures" in text
    assert "The readiness checklist" in text and "The weekly safety sweep" in text
    assert "approved on" in text and "Pat Morgan" in text
    assert "Status: Missing" not in text


def test_the_three_formats_say_the_same_things(practice, signed):
    complete(practice, signed)
    doc = export.build(practice)
    texts = {fmt: squash(text_of(fmt, export.render(doc, fmt))) for fmt in ("pdf", "docx", "md")}
    for block in doc["blocks"]:
        if block["kind"] == "heading":
            for fmt, text in texts.items():
                assert block["text"] in text, (fmt, block["text"])


def test_the_command_writes_each_format_and_audits_it(practice, signed, tmp_path):
    complete(practice, signed)
    for fmt in ("pdf", "docx", "md"):
        out = tmp_path / f"plan.{fmt}"
        call_command("export_plan", practice=practice.ods_code, format=fmt, output=str(out))
        assert "How patients are told" in squash(text_of(fmt, out.read_bytes()))
    assert AuditEntry.objects.filter(action="plan.export", practice_ods=practice.ods_code).count() == 3


def test_the_commands_errors_are_clear_and_exit_2(practice, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    cases = [
        (
            {"practice": "Z99999", "format": "md", "output": str(tmp_path / "a.md")},
            "No practice with ODS code",
        ),
        (
            {"practice": practice.ods_code, "format": "odt", "output": str(tmp_path / "a.odt")},
            "Unknown format",
        ),
        (
            {"practice": practice.ods_code, "format": "md", "output": str(tmp_path / "missing" / "a.md")},
            "Cannot write",
        ),
        ({"practice": practice.ods_code, "format": "md", "output": str(tmp_path)}, "Cannot write"),
    ]
    for options, message in cases:
        with pytest.raises(CommandError, match=message) as raised:
            call_command("export_plan", **options)
        assert raised.value.returncode == 2
    assert not list(tmp_path.iterdir())


def test_a_practice_with_nothing_yet_still_exports_saying_what_is_missing(practice):
    text = export.to_markdown(export.build(practice))
    assert "No version of the plan has been started" in text
    assert "Status: Missing" in text
    assert "No DPIA has been started in the service." in text
