"""The default templates a practice starts from, for its approach, in plain English.

Built from a few shared paragraphs so every channel says the same thing in the length it allows. Every default
passes the content rules (tests/outreach/test_defaults.py); practices edit them before approving.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultTemplate:
    channel: str
    purpose: str
    name: str
    body: str
    subject: str = ""
    higher_risk: bool = False  # hybrid: the version for patients judged at higher risk, who must ask


WHAT = "You can see your GP health record online, in the NHS App or on the NHS website."
ASK = (
    "We do not turn this on for you automatically. If you want to see your record online, you need to ask us. "
    "Please ask soon: ((request link))"
)
DECLINE = (
    "New entries in your record, including notes, letters and results, will show from ((start date)). "
    "If you do not want to see your record online, please tell us soon: ((preference link))"
)
DPIA = (
    "We checked how to keep your information safe in our data protection impact assessment (DPIA), "
    "reference ((DPIA reference)): ((DPIA link))"
)
CARE = (
    "Your record may include results before we have talked them through with you, and words doctors use. "
    "Keep your login to yourself. If anyone is pressuring you to show them your record, you do not have to, "
    "and you can talk to us in confidence."
)
HELP = "Find out more:\n\n((resources))"
CONTACT = "If you have questions, call us on ((practice phone)) or reply using ((preference link))."


def _choice(approach: str, higher_risk: bool) -> str:
    return ASK if approach == "opt_in" or (approach == "hybrid" and higher_risk) else DECLINE


def _short_choice(approach: str, higher_risk: bool) -> str:
    if approach == "opt_in" or (approach == "hybrid" and higher_risk):
        return "To see your GP record online you need to ask us. Please ask soon: ((request link))"
    return (
        "You can see new entries in your GP record online from ((start date)). If you do not want this, "
        "tell us soon: ((preference link))"
    )


def announcement(approach: str, higher_risk: bool = False) -> list[DefaultTemplate]:
    choice, short = _choice(approach, higher_risk), _short_choice(approach, higher_risk)
    suffix = " (higher risk)" if higher_risk else ""

    def make(channel, name, body, subject=""):
        return DefaultTemplate(channel, "announcement", name + suffix, body, subject, higher_risk)

    return [
        make(
            "sms",
            "Text message",
            f"((practice name)): {short}. Our DPIA: ((DPIA link)). Help: ((resources link))",
        ),
        make(
            "email",
            "Email",
            f"Dear ((first name)),\n\n{WHAT}\n\n{choice}\n\n{DPIA}\n\n{HELP}\n\n{CONTACT}\n\n((practice name))",
            subject="Your GP record online",
        ),
        make(
            "letter",
            "Letter",
            f"Dear ((first name)) ((last name)),\n\n# Your GP record online\n\n{WHAT}\n\n{choice}\n\n"
            f"{CARE}\n\n{DPIA}\n\n{HELP}\n\n{CONTACT}\n\nYours sincerely,\n\n((practice name))",
        ),
        make(
            "website",
            "Website notice",
            f"# See your GP record online\n\n{WHAT}\n\n{choice}\n\n{CARE}\n\n{DPIA}\n\n{HELP}",
        ),
        make(
            "poster",
            "Waiting-room poster",
            f"# See your GP record online\n\n{short}.\n\nScan the code or ask at reception. "
            "Our DPIA: ((DPIA reference)).\n\nFind out more:\n\n((resources))",
        ),
        make("social", "Social media post", f"{WHAT} {short}. Our DPIA: ((DPIA link)) ((resources link))"),
        make(
            "snippet",
            "Snippet for newsletters, prescription slips and email signatures",
            f"{WHAT} {short}. Our DPIA: ((DPIA link)). NHS help: ((resources link))",
        ),
        make(
            "script",
            "What to say in a consultation",
            f"{WHAT} {choice} {CARE} Our DPIA is reference ((DPIA reference)). "
            "The leaflet lists NHS help: ((resources))",
        ),
    ]


def needed_messages() -> list[DefaultTemplate]:
    """The messages practices found they needed, the same whatever their approach."""
    return [
        DefaultTemplate(
            "sms",
            "enhanced_review",
            "You can still ask (text message)",
            "((practice name)): you can still ask to see your GP record online. Please ask soon: "
            "((request link)). Our DPIA: ((DPIA link)). Help: ((resources link))",
        ),
        DefaultTemplate(
            "letter",
            "enhanced_review",
            "You can still ask (letter)",
            "Dear ((first name)) ((last name)),\n\n# Asking to see your GP record online\n\n"
            "Your record has not been turned on for online access automatically. You can still ask to see "
            "it: a member of our team will talk it through with you first. Please ask soon: ((request link)) "
            f"or call ((practice phone)).\n\n{DPIA}\n\n{HELP}\n\nYours sincerely,\n\n((practice name))",
        ),
        DefaultTemplate(
            "website",
            "pressure",
            "If someone is pressuring you",
            "# If someone is pressuring you to share your record\n\nNo one should make you share your "
            "login or your GP record. You can say no. Tell us in confidence on ((practice phone)): we can "
            f"hide your record online or change what it shows.\n\n{DPIA}\n\n{HELP}",
        ),
        DefaultTemplate(
            "website",
            "report_error",
            "If something in your record is wrong",
            "# If something in your record is wrong\n\nTell us if you see information that is not about you, "
            "is wrong, or is missing. Call ((practice phone)) or use ((preference link)). We will check it "
            f"and put it right.\n\n{DPIA}\n\n{HELP}",
        ),
        DefaultTemplate(
            "website",
            "turn_off",
            "How to turn online access off",
            "# Turning online access off\n\nIf you no longer want to see your record online, tell us at any "
            f"time: ((preference link)) or call ((practice phone)).\n\n{DPIA}\n\n{HELP}",
        ),
    ]


def defaults_for(approach: str) -> list[DefaultTemplate]:
    templates = announcement(approach)
    if approach == "hybrid":
        templates += [
            t for t in announcement(approach, higher_risk=True) if t.channel in ("sms", "letter", "email")
        ]
    return templates + needed_messages()
