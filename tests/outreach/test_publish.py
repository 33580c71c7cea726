"""Posters, the website notice, social posts and the consultation script: the channels staff publish by hand."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from recordaccess.outreach.formatting import to_html
from recordaccess.outreach.messages import social_lengths
from recordaccess.outreach.models import MessageTemplate
from recordaccess.outreach.services import approve_template
from recordaccess.practices.roles import Role
from tests import factories
from tests.outreach.conftest import AUTHOR

pytestmark = pytest.mark.django_db


def announcement(practice, channel):
    return MessageTemplate.objects.get(practice=practice, channel=channel, purpose="announcement")


@pytest.fixture
def admin(client, practice, templates):
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR))
    return client


def use_page(client, practice, channel) -> str:
    template = announcement(practice, channel)
    url = reverse("staff:template_use", kwargs={"ods": practice.ods_code, "template_id": template.pk})
    return client.get(url).content.decode()


def test_the_poster_is_an_a4_pdf_naming_the_practice_and_its_request_form(admin, practice, settings):
    settings.PUBLIC_BASE_URL = "https://riverside.example"
    template = announcement(practice, "poster")
    assert "Download the poster" in use_page(admin, practice, "poster")
    pdf = admin.get(
        reverse("staff:template_poster", kwargs={"ods": practice.ods_code, "template_id": template.pk})
    )
    page = PdfReader(io.BytesIO(pdf.content)).pages[0]
    assert (
        round(float(page.mediabox.width) * 25.4 / 72),
        round(float(page.mediabox.height) * 25.4 / 72),
    ) == (
        210,
        297,
    )
    text = "".join(page.extract_text().split())
    assert "RiversideSurgery" in text and "https://riverside.example/p/A81001/" in text


def test_the_website_notice_is_a_snippet_and_a_public_page_once_approved(admin, practice, client):
    template = announcement(practice, "website")
    notice_url = reverse("intake:notice", kwargs={"ods": practice.ods_code})
    client.logout()
    assert client.get(notice_url)["Location"] == reverse("intake:start", kwargs={"ods": practice.ods_code})
    approve_template(actor=AUTHOR, practice=practice, template_id=template.pk)
    public = client.get(notice_url).content.decode()
    assert "DPIA" in public and "((" not in public and "<h1>Your GP health record online</h1>" in public
    factories.sign_in(client, factories.staff(practice, Role.ADMINISTRATOR, "pm.two"))
    page = use_page(client, practice, "website")
    assert 'id="snippet"' in page and "&lt;p&gt;" in page  # the HTML to paste, shown as text


def test_a_social_post_shows_its_length_on_each_platform(admin, practice):
    page = use_page(admin, practice, "social")
    assert "X (Twitter)" in page and "Facebook" in page and "Fits?" in page


def test_x_counts_every_web_address_as_23_characters():
    text = "See https://www.example.nhs.uk/a/very/long/path/that/goes/on/and/on/for/ever " + "a" * 260
    lengths = {length.platform: length for length in social_lengths(text)}
    assert lengths["X (Twitter)"].characters == len("See ") + 23 + 1 + 260
    assert not lengths["X (Twitter)"].fits and lengths["Facebook"].fits
    assert lengths["Bluesky"].characters == len(text)


def test_the_default_social_posts_fit_every_platform(practice, templates):
    for template in MessageTemplate.objects.filter(practice=practice, channel="social"):
        text = template.body.replace("((DPIA link))", "https://example.org/dpia").replace(
            "((resources link))", "https://example.org/p/A81001/"
        )
        assert all(length.fits for length in social_lengths(text)), template.name


def test_the_consultation_script_is_shown_large_for_reading_aloud(admin, practice):
    assert "What to say in a consultation" in use_page(admin, practice, "script")


def test_notify_formatting_becomes_safe_html():
    html = to_html(
        "# Title\n\nHello <b>you</b>\nsecond line\n\n- one\n- two\n\n1. first\n\n^ note\n\n***\nSee https://nhs.uk/x."
    )
    assert "<h2>Title</h2>" in html
    assert "<p>Hello &lt;b&gt;you&lt;/b&gt;<br>second line</p>" in html
    assert "<ul><li>one</li><li>two</li></ul>" in html and "<ol><li>first</li></ol>" in html
    assert "<blockquote>note</blockquote>" in html and 'class="page-break"' in html
    assert '<a href="https://nhs.uk/x">https://nhs.uk/x</a>.' in html


def test_the_snippet_page_gives_the_text_to_paste_with_the_resources_link(admin, practice, settings):
    settings.PUBLIC_BASE_URL = "https://riverside.example"
    page = use_page(admin, practice, "snippet")
    assert "Paste this into your newsletter" in page and 'id="snippet-text"' in page
    assert "NHS help: https://riverside.example/p/A81001/" in page


def test_the_poster_fills_one_a4_page_with_a_qr_code_and_prints_no_long_address(
    admin, practice, settings, monkeypatch
):
    """Issue 13: the poster printed the resources' long addresses and left half the page empty."""
    from weasyprint import CSS  # noqa: F401 - WeasyPrint is what lays the poster out

    from recordaccess.core import pdf as core_pdf
    from recordaccess.outreach.letters import qr_svg

    settings.PUBLIC_BASE_URL = "https://riverside.example"
    practice.resources.create(
        title="NHS App help", url="https://www.nhs.uk/nhs-app/nhs-app-help-and-support/"
    )
    template = announcement(practice, "poster")
    seen = []
    document = core_pdf.document
    monkeypatch.setattr(core_pdf, "document", lambda html: seen.append(html) or document(html))
    pdf = admin.get(
        reverse("staff:template_poster", kwargs={"ods": practice.ods_code, "template_id": template.pk})
    ).content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())
    assert "https://riverside.example/p/A81001/" in text and "NHSApphelp" in text
    assert "nhs-app-help-and-support" not in text
    assert qr_svg("https://riverside.example/p/A81001/") in seen[0]
    page = document(seen[0]).render().pages[0]
    foot = next(
        box
        for box in page._page_box.descendants()
        if getattr(box, "element", None) is not None and box.element.get("class") == "foot"
    )
    mm = 96 / 25.4
    bottom = (foot.position_y + foot.margin_height()) / mm
    assert bottom > 297 - 15 - 2  # the QR code's panel sits on the bottom margin: no half-empty page
    assert foot.margin_height() / mm > 80  # and the code is big enough to scan from a chair
