"""PDFs from HTML, with WeasyPrint: letters and posters (outreach/letters.py) and the paper request form
(intake/staff_views.py) are laid out here, so no PDF fetches anything from outside but our own fonts, and all share
one font stack."""

import functools
import io

from django.conf import settings
from markupsafe import Markup

# PDFs are set in Arimo (Arial's metrics: the NHS's fallback for Frutiger, a web font licensed for the web only),
# from the font files `make install` puts in the built assets, so a letter wraps and breaks its pages the same
# on every machine whatever fonts it has; the system's fonts only fill in characters Arimo lacks.
FONT = 'Arimo, "Arimo Latin Extended", Arial, "Liberation Sans", "DejaVu Sans", sans-serif'
FONT_SUBSETS = {"Arimo": "latin", "Arimo Latin Extended": "latin-ext"}
FONT_WEIGHTS = {"normal": 400, "bold": 700}
FONT_ADDRESS = "recordaccess-font:"  # where our PDFs' stylesheet asks for Arimo: answered by _fetcher alone


@functools.cache
def _font_files() -> dict[str, bytes]:
    """Arimo's files as plain TrueType, unpacked once: WeasyPrint would unpack a web font again for every PDF.
    Empty when the assets are not built."""
    from fontTools.ttLib import TTFont

    files = {}
    for subset in FONT_SUBSETS.values():
        for number in FONT_WEIGHTS.values():
            path = settings.ASSETS_BUILD_DIR / "fonts" / f"arimo-{subset}-{number}-normal.woff"
            if path.exists():
                font, truetype = TTFont(path), io.BytesIO()
                font.flavor = None
                font.save(truetype)
                files[path.stem] = truetype.getvalue()
    return files


def font_faces() -> Markup:
    """The @font-face rules for Arimo, regular and bold. The Latin Extended subset is a family of its own: under
    one name, WeasyPrint mixes up the two files' glyphs. (Inlined as data: addresses, the fonts took longer to
    parse than the letter took to lay out.)"""
    rules = [
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
        f'src: url("{FONT_ADDRESS}{name}") format("truetype"); }}'
        for family, subset in FONT_SUBSETS.items()
        for weight, number in FONT_WEIGHTS.items()
        if (name := f"arimo-{subset}-{number}-normal") in _font_files()
    ]
    return Markup("\n".join(rules))  # noqa: S704 - our own names and addresses


@functools.cache
def _fetcher():
    """Our PDFs fetch nothing but our own fonts (pictures are drawn inline): refusing every other address also
    keeps each document from setting up its own TLS context, which took half the time of laying out a letter."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ShippedFontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(FONT_ADDRESS):
                body = _font_files()[url.removeprefix(FONT_ADDRESS)]
                return URLFetcherResponse(url, body, {"Content-Type": "font/ttf"})
            return super().fetch(url, headers)

    return ShippedFontsOnly(allowed_protocols=("data",))


def document(html: str):
    """The WeasyPrint document for `html`, to render (page by page) or write as a PDF."""
    from weasyprint import HTML  # imported when used: it loads Pango, which most processes never need

    return HTML(string=html, url_fetcher=_fetcher())


def render_pdf(html: str) -> bytes:
    return document(html).write_pdf()
