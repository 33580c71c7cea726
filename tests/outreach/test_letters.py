"""Letters and posters as PDF: the address where a window envelope shows it, large print, one combined PDF."""

import datetime
import io
from types import SimpleNamespace

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML

from recordaccess.audit.models import AuditEntry
from recordaccess.core import pdf as core_pdf
from recordaccess.outreach.campaigns import plan_campaign
from recordaccess.outreach.formatting import to_html
from recordaccess.outreach.letters import (
    EASY_READ_PICTURES,
    PICTURES,
    Letter,
    combined_pdf,
    easy_read_lines,
    letter_address,
    letter_for,
    letter_pdf,
    letters_html,
    poster_pdf,
)
from recordaccess.outreach.messages import TemplateError
from recordaccess.patients.models import Flag, FlagKind
from recordaccess.patients.needs import written_format
from recordaccess.practices.roles import Role

PX_TO_MM = 25.4 / 96
PRACTICE = SimpleNamespace(
    name="Riverside Surgery",
    address_lines=["1 River Road", "Leeds", "LS1 1AA"],
    phone="0113 496 0000",
    website="",
    ods_code="A81001",
)


def make_letter(reference="RA-1-1", points=11, address=None, body="Dear Sam,\n\nHello."):
    return Letter(
        reference=reference,
        address=address or ["Sam Patient", "2 High Street", "Leeds", "LS2 2BB"],
        subject="Your GP health record online",
        body_html=to_html(body, links=False),
        date=datetime.date(2026, 11, 25),
        points=points,
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
    document = HTML(string=letters_html(PRACTICE, [make_letter(points=20)])).render()
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
    letters = [make_letter(f"RA-1-{i}", points=24 if i % 5 == 0 else 11) for i in range(12)]
    seen = []
    pdf = combined_pdf(PRACTICE, iter(letters), len(letters), seen.append, chunk=5)
    assert pdf.startswith(b"%PDF-")
    assert seen == [5, 10, 12]
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 24  # each one-page letter has a blank back page
    assert [p.extract_text().count("Reference: RA-1-") for p in reader.pages] == [1, 0] * 12


def _page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_one_letter_is_one_pdf():
    pdf = letter_pdf(PRACTICE, make_letter())
    assert pdf.startswith(b"%PDF-") and _page_count(pdf) == 1


def test_the_poster_carries_a_qr_code_to_the_request_form(settings, monkeypatch):
    settings.PUBLIC_BASE_URL = "https://riverside.example"
    template = SimpleNamespace(subject="", body="Ask us for your record: ((request link))", name="Poster")
    seen = []
    render_html = core_pdf.document
    monkeypatch.setattr(core_pdf, "document", lambda html: seen.append(html) or render_html(html))
    pdf = poster_pdf(PRACTICE, template, {"request link": "https://riverside.example/p/A81001/"})
    assert pdf.startswith(b"%PDF-") and _page_count(pdf) == 1
    qr = segno.make("https://riverside.example/p/A81001/", error="m").svg_inline(
        scale=4, border=2, omitsize=True
    )
    assert qr in seen[0]  # the QR code encodes the practice's request form


# Accessible formats (issue 11, item 14) and double-sided printing (item 15).

RENDERED = SimpleNamespace(
    to="Sam Patient\n2 High Street\nLeeds\nLS2 2BB",
    subject="Your GP health record online",
    body="Dear Sam,\n\nYou can now see your GP record online. Use the NHS App to see it.\n\n"
    "Questions? Call us on 0113 496 0000.",
)


def letter_in(format, reference="RA-1-1", rendered=RENDERED):
    return letter_for(SimpleNamespace(reference=reference, format=format), rendered)


def points_of(pdf: bytes, text: str) -> set[float]:
    """The type sizes, in points, at which `text` is drawn: read from the PDF's text matrices, not glyph widths."""
    sizes = set()

    def visit(drawn, cm, tm, font, size):
        if text in drawn:
            sizes.add(round(size * abs(tm[3]) * abs(cm[3]), 1))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize(
    ("code", "points"), [("957331000000109", 20), ("957351000000102", 24), ("957371000000106", 28)]
)
def test_a_large_print_letter_is_set_in_the_size_the_patients_need_asks_for(code, points):
    format = written_format([(FlagKind.LARGE_PRINT, code)])
    assert points_of(letter_pdf(PRACTICE, letter_in(format)), "Dear Sam,") == {points}
    assert points_of(letter_pdf(PRACTICE, letter_in("")), "Dear Sam,") == {11}


def test_the_largest_size_wins_and_a_size_the_codes_do_not_give_is_20pt():
    both = written_format(
        [(FlagKind.LARGE_PRINT, "957331000000109"), (FlagKind.LARGE_PRINT, "957371000000106")]
    )
    assert both == "large_print_28"
    assert written_format([(FlagKind.LARGE_PRINT, "LOCAL1")]) == "large_print_20"
    assert points_of(letter_pdf(PRACTICE, letter_in("large_print")), "Dear Sam,") == {20}


def test_an_easy_read_letter_has_one_idea_a_line_each_with_a_picture():
    letter = letter_in("easy_read")
    pdf = letter_pdf(PRACTICE, letter)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    lines = [line.strip() for line in text.splitlines()]
    assert "You can now see your GP record online." in lines
    assert "Use the NHS App to see it." in lines  # the second sentence on a line of its own
    assert min(points_of(pdf, "Use the NHS App")) >= 16
    page = HTML(string=letters_html(PRACTICE, [letter])).render().pages[0]
    rows = [
        b for b in boxes(page._page_box) if b.element is not None and b.element.get("class") == "easy-line"
    ]
    pictures = [row.element.get("data-picture") for row in rows]
    assert len(rows) >= 4 and all(pictures)
    assert pictures[1:4] == ["computer", "phone", "question"]
    drawn = [b for b in boxes(page._page_box) if type(b).__name__.endswith("ReplacedBox") and b.width > 0]
    assert len(drawn) == len(rows)  # every line's picture is drawn, from the shipped set


def test_every_shipped_picture_is_a_small_self_contained_svg():
    for name in {name for name, _ in EASY_READ_PICTURES}:
        svg = (PICTURES / f"{name}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "<title>" in svg
        assert "href" not in svg and "<script" not in svg  # nothing fetched, nothing run


def _pages_per_letter(reader):
    """Pages grouped by letter: each letter's first page names its reference."""
    letters = []
    for page in reader.pages:
        text = page.extract_text()
        if "Reference: RA-" in text:
            letters.append([])
        letters[-1].append(text)
    return letters


def test_each_letter_starts_on_a_new_sheet_and_counts_its_own_pages():
    two_pages = "Dear Sam,\n\nThe first page.\n\n***\n\nThe second page."  # a page break: no font decides it
    items = [
        make_letter("RA-1-1"),
        make_letter("RA-1-2", body=two_pages),
        make_letter("RA-1-3"),
        letter_in("large_print_28", reference="RA-1-4"),
    ]
    pdf = combined_pdf(PRACTICE, iter(items), len(items), lambda done: None, chunk=3)
    reader = PdfReader(io.BytesIO(pdf))
    letters = _pages_per_letter(reader)
    assert [len(pages) % 2 for pages in letters] == [0, 0, 0, 0]  # double-sided: no sheet is shared
    one, two, three, four = letters
    assert "Page 1 of 1" in one[0] and one[1].strip() == ""  # a blank back page, unnumbered
    assert "Page 1 of 2" in two[0] and "Page 2 of 2" in two[1]
    assert "Page 1 of 1" in three[0] and "Page 1 of" in four[0]
    assert not any("Page 2 of 1" in text or "of 5" in text for pages in letters for text in pages)


@pytest.mark.django_db
def test_braille_and_sign_language_letters_go_to_a_staff_worklist_not_the_post(
    practice, campaign, people, staff_client
):
    braille, sign_language = people["letter"], people["prefers_letter"]
    Flag.objects.create(
        patient=braille, kind=FlagKind.BRAILLE, code="936661000000109", term="Grade 2 Braille"
    )
    Flag.objects.create(
        patient=sign_language, kind=FlagKind.BRITISH_SIGN_LANGUAGE, code="415803005", term="Uses BSL"
    )
    Flag.objects.create(patient=people["sms"], kind=FlagKind.BRAILLE, code="936681000000100", term="Grade 1")
    plan = plan_campaign(campaign)
    chosen = {r.patient_id: (r.channel, r.format) for r in plan.recipients}
    assert braille.pk not in chosen and sign_language.pk not in chosen  # no standard letter
    assert chosen[people["sms"].pk] == ("sms", "braille")  # a text reaches a screen reader
    assert chosen[people["large_print"].pk] == ("letter", "large_print_24")
    assert plan.counts()["left_out"]["needs_staff"] == 2

    page = staff_client(Role.RECEPTION).get(
        reverse("staff:communication_worklist", kwargs={"ods": practice.ods_code})
    )
    assert page.status_code == 200
    worklist = page.content.decode()
    assert "Grade 2 Braille" in worklist and "Uses BSL" in worklist
    assert f"{braille.given_name} {braille.family_name}" in worklist


@pytest.mark.django_db
def test_a_letter_previewed_for_a_patient_comes_in_their_own_format(
    practice, people, templates, staff_client
):
    patient = people["letter"]
    Flag.objects.create(patient=patient, kind=FlagKind.EASY_READ, code="796161000000101", term="Easyread")
    client = staff_client(Role.ADMINISTRATOR)
    url = reverse(
        "staff:template_letter", kwargs={"ods": practice.ods_code, "template_id": templates["letter"].pk}
    )
    theirs = client.get(url, {"nhs_number": patient.nhs_number}).content
    assert min(points_of(theirs, f"Dear {patient.given_name}")) >= 16
    standard = client.get(url).content
    assert points_of(standard, "Dear Sam") == {11}
    sample = client.get(url, {"format": "easy_read"}).content
    assert min(points_of(sample, "Dear Sam")) >= 16


def test_an_easy_read_line_ends_at_a_colon_so_a_link_stands_on_its_own_with_the_computer():
    lines = easy_read_lines("# Your GP record\nPlease tell us soon: https://ra.example/r/AB12/\nThank you.")
    assert [(line.picture, line.text, line.heading) for line in lines] == [
        ("doctor", "Your GP record", True),
        ("information", "Please tell us soon:", False),
        ("computer", "https://ra.example/r/AB12/", False),
        ("information", "Thank you.", False),
    ]


@pytest.mark.django_db
def test_staff_record_telling_a_worklist_patient_in_their_format_and_it_is_audited(
    practice, people, staff_client
):
    patient = people["letter"]
    Flag.objects.create(
        patient=patient, kind=FlagKind.BRAILLE, code="936661000000109", term="Grade 2 Braille"
    )
    client = staff_client(Role.RECEPTION)
    told = reverse("staff:communication_told", kwargs={"ods": practice.ods_code, "patient_id": patient.pk})
    response = client.post(told)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.last_contacted_at is not None  # so campaigns that skip the recently told skip them too
    entry = AuditEntry.objects.get(action="patient.told_in_own_format")
    assert entry.patient_id == patient.pk and "Grade 2 Braille" in entry.detail
    other = people["sms"]  # no need on the worklist: nothing to record
    assert client.post(told.replace(f"/{patient.pk}/", f"/{other.pk}/")).status_code == 404


def embedded_fonts(pdf: bytes) -> set[str]:
    """The fonts a PDF embeds, without the subset tag WeasyPrint puts before each name ("ABCDEF+Arimo")."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_letters_are_set_in_the_font_the_project_installs_whatever_fonts_the_machine_has():
    """Arimo, from the built assets: a letter wraps and breaks its pages the same on every machine."""
    pdf = letter_pdf(PRACTICE, make_letter(address=["Łukasz Wójcik", "2 High Street", "Leeds", "LS2 2BB"]))
    assert {"Arimo", "Arimo-Bold", "Arimo-Latin-Extended"} <= embedded_fonts(pdf)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Łukasz Wójcik" in text and "Phone: 0113 496 0000" in text  # each subset's letters kept apart
