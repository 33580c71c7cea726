"""The plan's exports (issue 15 item 5): the plan, the DPIA with its risk matrix, the readiness checklist and the
sweep record, as one list of blocks (headings, paragraphs, tables, lists) rendered three ways, as Markdown, a
Word document and a PDF, so the three never disagree.

An approved version of the plan exports its frozen snapshot; the DPIA is its last signed-off version (or the draft
when none is signed), the readiness checklist and the sweep record as they stand."""

import io

from django.template.loader import render_to_string
from django.utils import timezone

from recordaccess.assurance import plan as plans
from recordaccess.assurance import selectors as dpia_selectors
from recordaccess.assurance import steps
from recordaccess.assurance.defaults import CONTROLS
from recordaccess.assurance.risk import Likelihood, Severity, highest, matrix
from recordaccess.assurance.services import ICO_WARNING
from recordaccess.assurance.sweep import sweep_record
from recordaccess.core.pdf import FONT, render_pdf
from recordaccess.practices.models import RiskLevel
from recordaccess.practices.readiness import missing_before_patients

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}


def _h(level: int, text: str) -> dict:
    return {"kind": "heading", "level": level, "text": text}


def _p(text: str) -> dict:
    return {"kind": "paragraph", "text": text}


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def dpia_blocks(practice) -> list[dict]:
    """The DPIA through the ICO's seven steps, its register with each risk's residual level, and the matrix."""
    a = dpia_selectors.latest_signed(practice) or dpia_selectors.latest(practice)
    out = [_h(2, "The data protection impact assessment (DPIA)")]
    if a is None:
        return [*out, _p("No DPIA has been started in the service.")]
    risks = list(a.risks.all())
    numbered = [(f"R{i}", r) for i, r in enumerate(risks, start=1)]
    residual = highest(r.residual_level or r.level for r in risks)
    out.append(
        _p(
            f"Version {a.number}: "
            + (
                f"signed off on {_date(a.signed_on)}, reference {a.reference}."
                if a.is_signed
                else "a draft, not signed off."
            )
            + f" Overall risk left after the measures: {residual.label.lower() if residual else 'none assessed'}."
        )
    )
    if residual == RiskLevel.HIGH:
        out.append(_p(ICO_WARNING))
    statuses = dict((step.slug, state) for step, state in steps.statuses(a))
    for step in steps.STEPS:
        out.append(_h(3, f"Step {step.number}: {step.title}"))
        out.append(_p(f"Status: {statuses[step.slug]}."))
        for name in step.fields:
            label = a._meta.get_field(name).verbose_name
            out.append(_p(f"{label[0].upper()}{label[1:]}: {getattr(a, name).strip() or 'not written yet'}"))
        if step.slug == "consultation":
            entries = list(a.consultations.all())
            if entries:
                out.append(
                    {
                        "kind": "table",
                        "caption": "Who was consulted",
                        "head": ["Who", "Name", "When", "What they said"],
                        "rows": [
                            [c.get_consulted_display(), c.who, _date(c.held_on), c.said] for c in entries
                        ],
                    }
                )
            else:
                out.append(_p("No one consulted yet."))
        elif step.slug == "risks":
            out.append(
                {
                    "kind": "table",
                    "caption": "The risk register",
                    "head": ["ID", "Risk", "Source", "Likelihood", "Severity", "Level"],
                    "rows": [
                        [
                            label,
                            r.title,
                            r.source,
                            r.get_likelihood_display(),
                            r.get_severity_display(),
                            r.level.label,
                        ]
                        for label, r in numbered
                    ],
                }
            )
            out.extend(_matrix_blocks(numbered))
        elif step.slug == "measures":
            out.append(
                {
                    "kind": "table",
                    "caption": "Measures and the residual level of each risk",
                    "head": [
                        "ID",
                        "Risk",
                        "Measures",
                        "Control in the service",
                        "Effect",
                        "Residual level",
                        "Approved",
                    ],
                    "rows": [
                        [
                            label,
                            r.title,
                            r.measures or "none",
                            CONTROLS[r.control].name if r.control in CONTROLS else "none",
                            r.get_effect_display() or "not judged",
                            f"Residual level: {r.residual_level.label}"
                            if r.residual_level
                            else "Residual level: not assessed",
                            {True: "yes", False: "no", None: "not decided"}[r.approved],
                        ]
                        for label, r in numbered
                    ],
                }
            )
        elif step.slug == "sign-off":
            if a.is_signed:
                out.append(
                    {
                        "kind": "list",
                        "items": [
                            f"Measures approved by: {a.measures_approved_by}",
                            f"Residual risks approved by: {a.residual_risks_approved_by}",
                            f"DPO advice: {a.dpo_advice}",
                            f"DPO advice {a.get_dpo_advice_outcome_display().lower() if a.dpo_advice_outcome else 'not recorded'}"
                            + (f": {a.dpo_overruled_reason}" if a.dpo_overruled_reason else ""),
                            f"Kept under review by: {a.kept_under_review_by}",
                            f"Review date: {_date(a.review_on)}",
                        ],
                    }
                )
            else:
                out.append(_p("Not signed off yet."))
    return out


def _matrix_blocks(numbered) -> list[dict]:
    out = []
    for caption, pairs in (
        ("The risk matrix before the measures", [(r.likelihood, r.severity, label) for label, r in numbered]),
        (
            "The risk matrix after the measures",
            [
                (r.residual_likelihood, r.residual_severity, label)
                for label, r in numbered
                if r.residual_level
            ],
        ),
    ):
        rows = []
        for row in matrix(pairs):
            cells = [
                f"{cell['level'].label}: {', '.join(cell['risks'])}" if cell["risks"] else cell["level"].label
                for cell in row["cells"]
            ]
            rows.append([Severity(row["severity"]).label, *cells])
        out.append(
            {
                "kind": "table",
                "caption": caption,
                "head": ["Severity / likelihood", *(Likelihood(like).label for like in Likelihood)],
                "rows": rows,
            }
        )
    return out


def readiness_blocks(practice) -> list[dict]:
    missing = missing_before_patients(practice)
    out = [_h(2, "The readiness checklist")]
    if missing:
        out.append(_p("Nothing can be approved or sent to patients until these are recorded:"))
        out.append({"kind": "list", "items": [m.message for m in missing]})
    else:
        out.append(
            _p(
                "Ready: the approach is agreed"
                + (f" (on {_date(practice.approach_agreed_on)})" if practice.approach_agreed_on else "")
                + " and the DPIA's reference and completion date are recorded."
            )
        )
    return out


def sweep_blocks(practice) -> list[dict]:
    out = [_h(2, "The weekly safety sweep")]
    record = sweep_record(practice)
    if not record:
        return [*out, _p("No sweeps recorded yet.")]
    out.append(
        {
            "kind": "table",
            "caption": "Each week's sweep",
            "head": ["Week starting", "Patients", "Outcomes", "Signed off by", "Signed off on"],
            "rows": [
                [
                    _date(s.week_starting),
                    str(s.patients),
                    "; ".join(f"{label}: {n}" for label, n in s.by_outcome.items()) or "none",
                    s.signed_off_by or "not signed off",
                    _date(timezone.localdate(s.signed_off_at)) if s.signed_off_at else "",
                ]
                for s in record
            ],
        }
    )
    return out


def build(practice, plan=None) -> dict:
    """The whole export of one version of the plan (or the newest): {"title", "blocks"}."""
    plan = plan if plan is not None else plans.latest(practice)
    _, plan_blocks = plans.shown(practice, plan)
    if plan is None:
        about = "No version of the plan has been started: this is what the service knows so far."
    elif plan.is_approved:
        about = f"Version {plan.number}, approved on {_date(timezone.localdate(plan.approved_at))} by {plan.approved_by_name}."
    else:
        about = f"Version {plan.number}: a draft, not approved."
    title = f"{practice.name} ({practice.ods_code}): plan for online access to patients' records"
    blocks = [
        _h(1, title),
        _p(about),
        _p(f"Exported on {_date(timezone.localdate())}."),
        *plan_blocks,
        *dpia_blocks(practice),
        *readiness_blocks(practice),
        *sweep_blocks(practice),
    ]
    return {"title": title, "blocks": blocks}


def _md_cell(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: dict) -> str:
    lines = []
    for b in doc["blocks"]:
        if b["kind"] == "heading":
            lines += ["#" * b["level"] + " " + b["text"], ""]
        elif b["kind"] == "paragraph":
            lines += [b["text"], ""]
        elif b["kind"] == "list":
            lines += [f"- {item}" for item in b["items"]] + [""]
        elif b["kind"] == "table":
            if b.get("caption"):
                lines += [f"**{b['caption']}**", ""]
            lines.append("| " + " | ".join(_md_cell(h) for h in b["head"]) + " |")
            lines.append("|" + "---|" * len(b["head"]))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b["rows"]]
            lines.append("")
    return "\n".join(lines)


def to_docx(doc: dict) -> bytes:
    from docx import Document  # imported when used

    word = Document()
    word.core_properties.title = doc["title"]
    for b in doc["blocks"]:
        if b["kind"] == "heading":
            word.add_heading(b["text"], level=b["level"] - 1 if b["level"] > 1 else 0)
        elif b["kind"] == "paragraph":
            word.add_paragraph(b["text"])
        elif b["kind"] == "list":
            for item in b["items"]:
                word.add_paragraph(item, style="List Bullet")
        elif b["kind"] == "table":
            if b.get("caption"):
                word.add_paragraph(b["caption"], style="Caption")
            table = word.add_table(rows=1, cols=len(b["head"]))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, b["head"], strict=True):
                cell.text = str(text)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in b["rows"]:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = str(text)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def to_pdf(doc: dict) -> bytes:
    return render_pdf(render_to_string("assurance/plan_pdf.jinja", {**doc, "font": FONT}))


def render(doc: dict, fmt: str) -> bytes:
    if fmt == "md":
        return to_markdown(doc).encode()
    if fmt == "docx":
        return to_docx(doc)
    if fmt == "pdf":
        return to_pdf(doc)
    raise plans.PlanError(f"Choose a format: {', '.join(plans.FORMATS)}.")
