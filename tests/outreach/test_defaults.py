"""Every default template passes the content rules for its approach, and texts stay short."""

import pytest

from recordaccess.outreach.content import check
from recordaccess.outreach.defaults import defaults_for
from recordaccess.outreach.messages import placeholders, render, sms_length

SAMPLE = {
    "first name": "Siobhán",
    "last name": "Ní Bhriain",
    "practice name": "Riverside Surgery",
    "practice phone": "0113 496 0123",
    "request link": "https://records.example.nhs.uk/p/Y12345/ask",
    "preference link": "https://records.example.nhs.uk/p/Y12345/choose",
    "start date": "1 December 2026",
    "DPIA reference": "RS-DPIA-2023-01",
    "DPIA link": "https://records.example.nhs.uk/p/Y12345/dpia",
    "resources link": "https://records.example.nhs.uk/p/Y12345/help",
    "resources": "- Seeing your medical record",
}
CASES = [(approach, t) for approach in ("opt_out", "opt_in", "hybrid") for t in defaults_for(approach)]


@pytest.mark.parametrize(("approach", "template"), CASES, ids=[f"{a}-{t.channel}-{t.name}" for a, t in CASES])
def test_every_default_template_passes_the_content_rules(approach, template):
    breaks = check(
        body=template.body,
        subject=template.subject,
        channel=template.channel,
        approach=approach,
        purpose=template.purpose,
        higher_risk=template.higher_risk,
    )
    assert breaks == [], [b.message for b in breaks]


@pytest.mark.parametrize(("approach", "template"), [c for c in CASES if c[1].channel == "sms"])
def test_default_texts_fit_in_three_fragments_with_real_values(approach, template):
    text = render(template.body, SAMPLE)
    info = sms_length(text)
    assert info.fragments <= 3 and not info.too_long, (info.fragments, text)


def test_every_default_uses_only_placeholders_we_fill():
    used = {p.lower() for _, t in CASES for p in placeholders(t.subject + t.body)}
    assert used <= {k.lower() for k in SAMPLE}


def test_each_approach_has_every_channel_and_the_needed_messages():
    for approach in ("opt_out", "opt_in", "hybrid"):
        templates = defaults_for(approach)
        assert {t.channel for t in templates if t.purpose == "announcement"} == {
            "sms",
            "email",
            "letter",
            "website",
            "poster",
            "social",
            "script",
            "snippet",
        }
        assert {t.purpose for t in templates} == {
            "announcement",
            "enhanced_review",
            "pressure",
            "report_error",
            "turn_off",
        }
    assert any(t.higher_risk for t in defaults_for("hybrid"))


@pytest.mark.parametrize("approach", ["opt_out", "opt_in", "hybrid"])
def test_default_names_are_unique_within_an_approach(approach):
    names = [t.name for t in defaults_for(approach)]
    assert len(names) == len(set(names))
