"""Letters and posters as PDF, with WeasyPrint.

A letter meets GOV.UK Notify's letter specification (A4; the address in the envelope window; nothing in the
margins), so the same PDF goes to Notify as a precompiled letter or is printed in-house. Large print sets the
letter in 16 pt. A campaign's letters are put together into one PDF for printing, in the background.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from recordaccess.outreach.formatting import to_html
from recordaccess.outreach.messages import TemplateError, render

FONT = '"Frutiger W01", Arial, "Liberation Sans", "DejaVu Sans", sans-serif'
# Notify prints at most 7 address lines, the last a UK postcode or a country, and refuses fewer than 3.
MIN_ADDRESS_LINES, MAX_ADDRESS_LINES = 3, 7


@dataclass(frozen=True)
class Letter:
    reference: str
    address: list[str]
    subject: str
    body_html: Markup
    date: datetime.date
    large_print: bool = False
    interpreter: bool = False


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


def letter_for(message, rendered, *, date: datetime.date | None = None) -> Letter:
    """A letter from what was rendered for it (`to`: the address lines, `subject` and `body`), for a campaign
    message, or for a message outside a campaign given by its reference (standard print)."""
    reference, format = (message, "") if isinstance(message, str) else (message.reference, message.format)
    return Letter(
        reference=reference,
        address=rendered.to.splitlines(),
        subject=rendered.subject,
        body_html=to_html(rendered.body, links=False),
        date=date or timezone.localdate(),
        large_print=format == "large_print",
        interpreter=format == "interpreter",
    )


def letter_from_outbox(item) -> Letter:
    """A letter as it was put in the outbox (its `to`, `subject` and `body`), for printing in-house."""
    return letter_for(item.message or item.reference, item, date=timezone.localdate(item.created_at))


def letters_html(practice, letters: list[Letter]) -> str:
    large = any(letter.large_print for letter in letters)
    return render_to_string(
        "outreach/pdf/letters.jinja",
        {"practice": practice, "letters": letters, "large_print": large, "font": FONT, "title": "Letters"},
    )


def _html(html: str):
    from weasyprint import HTML  # imported when used: it loads Pango, which most processes never need

    return HTML(string=html)


def render_pdf(html: str) -> bytes:
    return _html(html).write_pdf()


def letter_pdf(practice, letter: Letter) -> bytes:
    return _html(letters_html(practice, [letter])).write_pdf()


def combined_pdf(
    practice, letters: Iterable[Letter], total: int, progress: Callable[[int], None], *, chunk: int = 50
) -> bytes:
    """Every letter in one PDF, each starting on a new page; large print and standard letters each keep their
    own type size. `progress(done)` is called after each chunk."""
    pages, first, done, batch = [], None, 0, []

    def flush():
        nonlocal first, done
        if not batch:
            return
        for large in (False, True):
            group = [letter for letter in batch if letter.large_print == large]
            if group:
                document = _html(letters_html(practice, group)).render()
                first = first or document
                pages.extend(document.pages)
        done += len(batch)
        batch.clear()
        progress(done)

    for letter in letters:
        batch.append(letter)
        if len(batch) >= chunk:
            flush()
    flush()
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
            "large_print": True,
            "font": FONT,
            "title": template.name,
        },
    )
    return _html(html).write_pdf()
