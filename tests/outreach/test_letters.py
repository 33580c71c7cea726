"""Letters and posters as PDF: the address where a window envelope shows it, large print, one combined PDF."""

import datetime
import io
from types import SimpleNamespace

import pytest
import segno
from pypdf import PdfReader
from weasyprint import HTML

from recordaccess.outreach import letters
from recordaccess.outreach.formatting import to_html
from recordaccess.outreach.letters import (
    Letter,
    combined_pdf,
    letter_address,
    letter_pdf,
    letters_html,
    poster_pdf,
)
from recordaccess.outreach.messages import TemplateError

PX_TO_MM = 25.4 / 96
PRACTICE = SimpleNamespace(
    name="Riverside Surgery",
    address_lines=["1 River Road", "Leeds", "LS1 1AA"],
    phone="0113 496 0000",
    website="",
    ods_code="A81001",
)


def make_letter(reference="RA-1-1", large_print=False, address=None, body="Dear Sam,\n\nHello."):
    return Letter(
        reference=reference,
        address=address or ["Sam Patient", "2 High Street", "Leeds", "LS2 2BB"],
        subject="Your GP health record online",
        body_html=to_html(body, links=False),
        date=datetime.date(2026, 11, 25),
        large_print=large_print,
    )


def boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from boxes(child)


def box_with_class(page, name):
    return next(
        b for b in boxes(page._page_box) if b.element is not None and name in b.element.get("class", "")
    )


def test_the_address_sits_inside_notifys_address_block_on_page_one():
    page = HTML(string=letters_html(PRACTICE, [make_letter()])).render().pages[0]
    address = box_with_class(page, "address")
    left, top = address.position_x * PX_TO_MM, address.position_y * PX_TO_MM
    right = left + address.border_width() * PX_TO_MM
    bottom = top + address.border_height() * PX_TO_MM
    # Notify's letter specification: 24.6–120 mm from the left, 40–66.2 mm from the top.
    assert left >= 24.6 and right <= 120, (left, right)
    assert top >= 40 and bottom <= 66.2, (top, bottom)


def test_nothing_is_printed_in_the_margins_and_the_letter_starts_95mm_down():
    page = HTML(string=letters_html(PRACTICE, [make_letter(body="Text\n\n" * 80)])).render().pages[0]
    text = [b for b in boxes(page._page_box) if type(b).__name__ == "TextBox"]
    for box in text:
        assert box.position_x * PX_TO_MM >= 15 - 0.01
        assert (box.position_x + box.width) * PX_TO_MM <= 210 - 15 + 0.01
        assert box.position_y * PX_TO_MM >= 5 - 0.01
        assert (box.position_y + box.height) * PX_TO_MM <= 297 - 5 + 0.01
    heading = next(b for b in boxes(page._page_box) if b.element is not None and b.element.tag == "h1")
    assert heading.position_y * PX_TO_MM >= 95


def test_large_print_sets_the_letter_in_16pt_or_more():
    document = HTML(string=letters_html(PRACTICE, [make_letter(large_print=True)])).render()
    paragraph = next(
        b
        for b in boxes(document.pages[0]._page_box)
        if b.element is not None and b.element.tag == "p" and b.element.text == "Dear Sam,"
    )
    assert paragraph.style["font_size"] * 0.75 >= 16  # CSS px to points
    standard = HTML(string=letters_html(PRACTICE, [make_letter()])).render()
    small = next(
        b
        for b in boxes(standard.pages[0]._page_box)
        if b.element is not None and b.element.tag == "p" and b.element.text == "Dear Sam,"
    )
    assert small.style["font_size"] * 0.75 < 16


def test_an_address_needs_three_lines_and_long_ones_keep_the_postcode_last():
    with pytest.raises(TemplateError, match="at least two lines"):
        letter_address("Sam Patient", ["LS2 2BB"])
    lines = letter_address(
        "Sam Patient", ["Flat 1", "2 High St", "Area", "Village", "Leeds", "West Yorks", "LS2 2BB"]
    )
    assert len(lines) == 7 and lines[-1] == "LS2 2BB" and lines[0] == "Sam Patient"


def test_combined_pdf_has_every_letter_on_its_own_pages_and_reports_progress():
    letters = [make_letter(f"RA-1-{i}", large_print=i % 5 == 0) for i in range(12)]
    seen = []
    pdf = combined_pdf(PRACTICE, iter(letters), len(letters), seen.append, chunk=5)
    assert pdf.startswith(b"%PDF-")
    assert seen == [5, 10, 12]
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 12
    assert [p.extract_text().count("Reference: RA-1-") for p in reader.pages] == [1] * 12


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_one_letter_is_one_pdf():
    pdf = letter_pdf(PRACTICE, make_letter())
    assert pdf.startswith(b"%PDF-") and _page_count(pdf) == 1


def test_the_poster_carries_a_qr_code_to_the_request_form(settings, monkeypatch):
    settings.PUBLIC_BASE_URL = "https://riverside.example"
    template = SimpleNamespace(subject="", body="Ask us for your record: ((request link))", name="Poster")
    seen = []
    render_html = letters._html
    monkeypatch.setattr(letters, "_html", lambda html: seen.append(html) or render_html(html))
    pdf = poster_pdf(PRACTICE, template, {"request link": "https://riverside.example/p/A81001/"})
    assert pdf.startswith(b"%PDF-") and _page_count(pdf) == 1
    qr = segno.make("https://riverside.example/p/A81001/", error="m").svg_inline(
        scale=4, border=2, omitsize=True
    )
    assert qr in seen[0]  # the QR code encodes the practice's request form
