"""The content rules every patient-facing template must pass before it can be approved.

From the BMA's "Communicating with patients": name the DPIA; say plainly whether patients must ask (opt-in, and
hybrid's higher-risk patients) or how to decline (opt-out); urge patients to tell the practice their preference
soon; signpost the NHS resources. From this house: a text message or email never carries clinical detail, or
anything that would tell someone reading over a patient's shoulder that they are under review or at risk.
Each rule gives a specific message that says what to add or take out.
"""

import re
from dataclasses import dataclass

from recordaccess.outreach.messages import placeholder_key, placeholders

CHANNELS = ("sms", "email", "letter", "poster", "website", "social", "script", "snippet")
# May be read on a shared phone or inbox; a snippet goes into email signatures, newsletters and prescription slips.
PRIVATE_CHANNELS = ("sms", "email", "snippet")
LINKED_CHANNELS = (
    "email",
    "letter",
    "website",
)  # resources as a list of links; every other channel at least the short link
# What a template is for: the general message for an approach, or one of the messages practices found they needed.
PURPOSES = ("announcement", "enhanced_review", "pressure", "report_error", "turn_off")

DPIA_PLACEHOLDERS = {"dpia reference", "dpia link"}
ASK_PLACEHOLDERS = {"request link"}
DECLINE_PLACEHOLDERS = {"preference link", "request link"}
RESOURCES_PLACEHOLDER = "resources"
RESOURCES_SHORT_PLACEHOLDER = "resources link"
SOON = re.compile(r"\b(soon|today|now|by \(\(|before \(\(|as soon as)\b", re.IGNORECASE)
ASK = re.compile(r"\b(ask|request|apply)\b", re.IGNORECASE)
DECLINE = re.compile(
    r"\b(do not want|don't want|decline|opt out|turn (it |access )?off|say no)\b", re.IGNORECASE
)
DPIA_WORDS = re.compile(r"data protection impact assessment|\bDPIA\b", re.IGNORECASE)
# Words that, in a text or email, would say something clinical or about risk to whoever else reads it.
PRIVATE_WORDS = re.compile(
    r"\b(diagnos\w*|test results?|blood tests?|scan results?|cancer|HIV|pregnan\w*|mental health|"
    r"safeguard\w*|enhanced review|at risk|vulnerable|abuse\w*|domestic|coerc\w*|104|redact\w*|withheld)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RuleBreak:
    rule: str
    message: str


def check(
    *,
    body: str,
    channel: str,
    approach: str,
    purpose: str = "announcement",
    higher_risk: bool = False,
    subject: str = "",
) -> list[RuleBreak]:
    """Every rule the template breaks, with what to do about it. An empty list means it may be approved."""
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}")
    text = f"{subject}\n{body}"
    used = {placeholder_key(name) for name in placeholders(text)}
    breaks = []
    if not (used & DPIA_PLACEHOLDERS or DPIA_WORDS.search(text)):
        breaks.append(RuleBreak("dpia", "Name the practice's DPIA: add ((DPIA reference)) or ((DPIA link))."))
    if purpose in ("announcement", "enhanced_review"):
        must_ask = (
            approach == "opt_in" or (approach == "hybrid" and higher_risk) or purpose == "enhanced_review"
        )
        if must_ask and not (ASK.search(body) and used & ASK_PLACEHOLDERS):
            breaks.append(
                RuleBreak(
                    "must_ask",
                    "Say plainly that the patient must ask for access, and how: add ((request link)).",
                )
            )
        if not must_ask and not (DECLINE.search(body) and used & DECLINE_PLACEHOLDERS):
            breaks.append(
                RuleBreak(
                    "how_to_decline",
                    "Say how to decline access (for example “if you do not want to see your record online”) and add "
                    "((preference link)).",
                )
            )
        if not SOON.search(body):
            breaks.append(RuleBreak("act_soon", "Urge patients to tell the practice their preference soon."))
    if channel in LINKED_CHANNELS and RESOURCES_PLACEHOLDER not in used:
        breaks.append(
            RuleBreak("resources", "Signpost the NHS resources: add ((resources)) for the list of links.")
        )
    elif channel not in LINKED_CHANNELS and not used & {RESOURCES_PLACEHOLDER, RESOURCES_SHORT_PLACEHOLDER}:
        breaks.append(RuleBreak("resources", "Signpost the NHS resources in short: add ((resources link))."))
    if channel in PRIVATE_CHANNELS:
        found = sorted({m.group(0).lower() for m in PRIVATE_WORDS.finditer(text)})
        if found:
            breaks.append(
                RuleBreak(
                    "private",
                    f"Texts and emails must not carry clinical or risk detail: take out {', '.join(repr(w) for w in found)}.",
                )
            )
    return breaks
