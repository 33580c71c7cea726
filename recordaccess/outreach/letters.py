"""Letters and posters as PDF (laid out by core/pdf.py, with WeasyPrint).

A letter meets GOV.UK Notify's letter specification (A4; the address in the envelope window; nothing in the
margins), so the same PDF goes to Notify as a precompiled letter or is printed in-house. A letter is made in
the format its message was planned in (patients/needs.py): large print in the size the patient's need asks for,
or easy read (one idea a line, each with a picture from the set in `pictures/`). A campaign's letters are put
together into one PDF for double-sided printing, in the background: each letter starts on a new sheet and
numbers its own pages.
"""

import datetime
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from recordaccess.core import pdf
from recordaccess.core.pdf import FONT
from recordaccess.outreach.formatting import to_html
from recordaccess.outreach.messages import TemplateError, render
from recordaccess.patients.needs import LARGE_PRINT_DEFAULT_POINTS, parse_format

# Notify prints at most 7 address lines, the last a UK postcode or a country, and refuses fewer than 3.
MIN_ADDRESS_LINES, MAX_ADDRESS_LINES = 3, 7
STANDARD_POINTS = 11
EASY_READ_POINTS = 16  # easy-read guidance asks for at least 14 pt
PICTURES = Path(__file__).parent / "pictures"
# The first picture whose words a line uses is drawn beside it; a link on its own line gets the computer, and
# a line that matches none "information".
EASY_READ_PICTURES = (
    ("computer", r"^https?://"),
    ("question", r"\?|\bquestions?\b|\bask\b|\bhelp\b"),
    ("phone", r"\bcall\b|\b(tele)?phone\b|\btext\b|\bapp\b"),
    ("lock", r"\bprivate\b|\bsafe\b|\bsecure\b|\bprotect|\bshare\b|\bDPIA\b|\bconfiden|\blogin\b|\bpassword"),
    ("computer", r"\bonline\b|\binternet\b|\bwebsite\b|https?://|\bwww\."),
    ("doctor", r"\bdoctors?\b|\bGP\b|\bnurses?\b|\bsurgery\b|\bpractice\b"),
    ("record", r"\brecords?\b|\bnotes\b|\bresults\b"),
    ("information", r""),
)
# One idea a line: a new line after each sentence, and after a colon or semicolon (so a link or a phone number
# stands on a line of its own).
IDEA_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"'“])|(?<=[:;])\s+")
MARKS = re.compile(r"^(?:[-*•^] |\d+\. )")


@dataclass(frozen=True)
class EasyReadLine:
    picture: str
    text: str
    heading: bool = False


@dataclass(frozen=True)
class Letter:
    reference: str
    address: list[str]
    subject: str
    body_html: Markup
    date: datetime.date
    points: int = STANDARD_POINTS
    interpreter: bool = False
    easy_read: tuple[EasyReadLine, ...] = ()  # in place of the body, for an easy-read letter


def type_size(format: str) -> int:
    """The type size, in points, of a letter in this format."""
    name, points = parse_format(format)
    if name == "large_print":
        return points or LARGE_PRINT_DEFAULT_POINTS
    if name == "easy_read":
        return max(points, EASY_READ_POINTS)
    return points or STANDARD_POINTS


def picture_for(text: str) -> str:
    return next(name for name, words in EASY_READ_PICTURES if re.search(words, text, re.IGNORECASE))


def easy_read_lines(body: str) -> tuple[EasyReadLine, ...]:
    """The approved wording one idea a line, each with a picture; headings stay headings."""
    lines = []
    for raw in body.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line or line in ("---", "***"):
            continue
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            lines.append(EasyReadLine(picture_for(heading), heading, heading=True))
            continue
        for sentence in IDEA_END.split(MARKS.sub("", line)):
            lines.append(EasyReadLine(picture_for(sentence), sentence))
    return tuple(lines)


@functools.cache
def picture_svg(name: str) -> Markup:
    return Markup((PICTURES / f"{name}.svg").read_text(encoding="utf-8"))  # noqa: S704 - our own shipped files


def letter_address(name: str, lines: list[str]) -> list[str]:
    """The lines that show in the window: name, then the address, as Notify wants them."""
    address = [name.strip(), *[line.strip() for line in lines if line.strip()]]
    if len(address) < MIN_ADDRESS_LINES:
        raise TemplateError(
            "The address needs at least two lines as well as the name, with the postcode last."
        )
    if len(address) > MAX_ADDRESS_LINES:
        # Keep the first lines and the postcode: town and county can share a line.
        address = [
            *address[: MAX_ADDRESS_LINES - 2],
            ", ".join(address[MAX_ADDRESS_LINES - 2 : -1]),
            address[-1],
        ]
    return address


def letter_for(message, rendered, *, date: datetime.date | None = None, format: str = "") -> Letter:
    """A letter from what was rendered for it (`to`: the address lines, `subject` and `body`), for a campaign
    message in its planned format, or for a message outside a campaign given by its reference (in `format`)."""
    reference, format = (message, format) if isinstance(message, str) else (message.reference, message.format)
    name, _ = parse_format(format)
    return Letter(
        reference=reference,
        address=rendered.to.splitlines(),
        subject=rendered.subject,
        body_html=to_html(rendered.body, links=False),
        date=date or timezone.localdate(),
        points=type_size(format),
        interpreter=name == "interpreter",
        easy_read=easy_read_lines(rendered.body) if name == "easy_read" else (),
    )


def letter_from_outbox(item) -> Letter:
    """A letter as it was put in the outbox (its `to`, `subject` and `body`), for printing in-house."""
    return letter_for(item.message or item.reference, item, date=timezone.localdate(item.created_at))


def letters_html(practice, letters: list[Letter]) -> str:
    pictures = {line.picture for letter in letters for line in letter.easy_read}
    return render_to_string(
        "outreach/pdf/letters.jinja",
        {
            "practice": practice,
            "letters": letters,
            "pictures": {name: picture_svg(name) for name in pictures},
            "font": FONT,
            "large_print": False,  # each letter sets its own size
            "title": "Letters",
        },
    )


BLANK_PAGE = (
    "<!DOCTYPE html><html><head><style>@page { size: A4; margin: 0 }</style></head><body></body></html>"
)


def letter_pdf(practice, letter: Letter) -> bytes:
    return pdf.document(letters_html(practice, [letter])).write_pdf()


def combined_pdf(
    practice, letters: Iterable[Letter], total: int, progress: Callable[[int], None], *, chunk: int = 50
) -> bytes:
    """Every letter in one PDF for double-sided printing: each letter is laid out on its own, so it numbers
    its own pages ("Page 1 of 1"), and one with an odd number of pages gets a blank back page, so no two
    patients' letters share a sheet. `progress(done)` is called after each chunk."""
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # one for the whole print: a letter then lays out in about half the time
    pages, first, blank, done = [], None, None, 0
    for letter in letters:
        document = pdf.document(letters_html(practice, [letter])).render(font_config=fonts)
        first = first or document
        pages.extend(document.pages)
        if len(document.pages) % 2:
            blank = blank or pdf.document(BLANK_PAGE).render(font_config=fonts).pages[0]
            pages.append(blank)
        done += 1
        if done % chunk == 0:
            progress(done)
    if done % chunk:
        progress(done)
    if first is None:
        return b""
    return first.copy(pages).write_pdf()


def request_link(practice) -> str:
    return settings.PUBLIC_BASE_URL + reverse("intake:start", kwargs={"ods": practice.ods_code})


def qr_svg(url: str) -> Markup:
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True)
    return Markup(svg)  # noqa: S704 - SVG drawn by segno from our own URL


def poster_pdf(practice, template, values: dict) -> bytes:
    """An A4 waiting-room poster from a poster template, with a QR code to the practice's request form."""
    link = request_link(practice)
    html = render_to_string(
        "outreach/pdf/poster.jinja",
        {
            "practice": practice,
            "subject": render(template.subject, values) if template.subject else "",
            "body_html": to_html(render(template.body, values), links=False),
            "qr_svg": qr_svg(link),
            "request_link": link,
            "questions_link": settings.PUBLIC_BASE_URL
            + reverse("questions:page", kwargs={"ods": practice.ods_code}),
            "large_print": True,
            "font": FONT,
            "title": template.name,
        },
    )
    return pdf.document(html).write_pdf()
