"""What a new practice starts with."""

# The NHS resources the BMA's guidance names for signposting. Practices edit them; check the addresses
# against the NHS website when you set a practice up (docs/decisions/0002-signposting-defaults.md).
SIGNPOSTING_RESOURCES = [
    (
        "Commonly found abbreviations in medical records",
        "https://www.nhs.uk/nhs-app/nhs-app-help-and-support/health-records-in-the-nhs-app/"
        "abbreviations-commonly-found-in-medical-records/",
    ),
    (
        "What you need to know about your GP record",
        "https://www.england.nhs.uk/wp-content/uploads/2023/10/what-you-need-to-know-about-your-gp-online-record.pdf",
    ),
    (
        "Seeing your medical record",
        "https://www.nhs.uk/nhs-app/nhs-app-help-and-support/health-records-in-the-nhs-app/",
    ),
]

# What patients see at the foot of each public page until the practice writes its own (the GMS core hours).
OPENING_HOURS = "Monday to Friday: 8am to 6:30pm\nSaturday and Sunday: closed\nBank holidays: closed"


def _contact(practice) -> str:
    ways = [
        f"phone {practice.phone}" if practice.phone else "",
        f"email {practice.email}" if practice.email else "",
    ]
    ways = [way for way in ways if way]
    return f"contact {practice.name}: {' or '.join(ways)}" if ways else f"contact {practice.name}"


def privacy_notice(practice) -> str:
    """The notice a practice starts with: who holds the data, why, on what basis, and the DPIA it rests on."""
    dpia = getattr(practice, "dpia", None)
    if dpia is not None and dpia.is_recorded:
        assessed = (
            f"We assessed the risks in our data protection impact assessment (DPIA), reference "
            f"{dpia.reference}, completed {dpia.completed_on.day} {dpia.completed_on:%B %Y}. "
            "You can ask us for a copy."
        )
    else:
        assessed = "We are assessing the risks in a data protection impact assessment (DPIA) before we start."
    return "\n\n".join(
        [
            "## Who we are",
            f"{practice.name} (ODS code {practice.ods_code}) is the data controller for the information you give "
            "us through these pages and for your GP health record.",
            "## What we collect and why",
            "When you ask about seeing your GP health record online we collect your name, date of birth, "
            "address, postcode, NHS number if you give it, how to contact you and your answers. We use them only "
            "to find your record, check who you are, answer your request and give you access.",
            "## Our legal basis",
            "We do this as part of providing your care: UK GDPR Article 6(1)(e) (a task in the public interest) "
            "and Article 9(2)(h) (health care). The law and our NHS contract require us to offer online access.",
            "## Keeping your information safe",
            assessed,
            "Only our practice team can see your request. Every look at it is recorded. Messages are sent "
            "through GOV.UK Notify. We keep requests for as long as the NHS records management code says.",
            "## Your rights",
            "You can ask to see the information we hold about you, to correct it, or to object to how we use "
            f"it. To do so, {_contact(practice)}.",
            "If you are unhappy with how we use your information, tell us first. You can also complain to the "
            "Information Commissioner's Office (ICO): ico.org.uk or 0303 123 1113.",
        ]
    )


def accessibility_statement(practice) -> str:
    """The statement a practice starts with, after the GOV.UK model accessibility statement."""
    return "\n\n".join(
        [
            f"This accessibility statement applies to the online records access pages of {practice.name}.",
            "We want as many people as possible to be able to use these pages. For example, you should be able "
            "to:\n- change colours, contrast levels and fonts using browser or device settings\n- zoom in up to "
            "400% without the text spilling off the screen\n- get around the pages using just a keyboard\n"
            "- get around the pages using speech recognition software\n- listen to the pages using a screen "
            "reader",
            "## How accessible these pages are",
            "We believe these pages meet the Web Content Accessibility Guidelines (WCAG) version 2.2 AA "
            "standard. If you find something that does not, please tell us.",
            "## Feedback and contact information",
            f"If you need information on these pages in a different format, like large print, easy read, audio "
            f"or braille, {_contact(practice)}. We will consider your request and get back to you.",
            "## Enforcement procedure",
            "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the accessibility "
            "regulations. If you are not happy with how we respond to your complaint, contact the Equality "
            "Advisory and Support Service (EASS).",
            "## Technical information about the accessibility of these pages",
            f"{practice.name} is committed to making its website accessible, in accordance with the Public "
            "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.",
            "These pages are fully compliant with the WCAG version 2.2 AA standard. They use the NHS design "
            "system and are checked automatically with axe-core each time they change, and by hand with a "
            "keyboard and a screen reader.",
        ]
    )


DEFAULT_TEXTS = {
    "opening_hours": lambda practice: OPENING_HOURS,
    "privacy_notice": privacy_notice,
    "accessibility_statement": accessibility_statement,
}


def public_text(practice, field: str) -> str:
    """The practice's own text for `field`, or the default written from its details."""
    return getattr(practice, field).strip() or DEFAULT_TEXTS[field](practice)


def blocks(text: str) -> list[dict]:
    """Staff-written text as the page shows it: '## ' starts a heading, '- ' a list item, a blank line a
    paragraph. Kept as text: the template escapes it, so nothing staff type can run."""
    found = []
    for chunk in (part.strip() for part in text.replace("\r\n", "\n").split("\n\n")):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## ") and len(lines) == 1:
            found.append({"kind": "heading", "text": lines[0][3:].strip()})
            continue
        intro = [line for line in lines if not line.startswith("- ")]
        items = [line[2:].strip() for line in lines if line.startswith("- ")]
        if intro:
            found.append({"kind": "paragraph", "lines": intro})
        if items:
            found.append({"kind": "list", "items": items})
    return found
