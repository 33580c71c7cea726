"""PDFs from HTML, with WeasyPrint: letters and posters (outreach/letters.py) and the paper request form
(intake/staff_views.py) are laid out here, so no PDF fetches anything from outside and all share one font
stack."""

import functools

FONT = '"Frutiger W01", Arial, "Liberation Sans", "DejaVu Sans", sans-serif'


@functools.cache
def _fetcher():
    """Our PDFs fetch nothing (pictures are drawn inline): refusing every address also keeps each document
    from setting up its own TLS context, which took half the time of laying out a letter."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


def document(html: str):
    """The WeasyPrint document for `html`, to render (page by page) or write as a PDF."""
    from weasyprint import HTML  # imported when used: it loads Pango, which most processes never need

    return HTML(string=html, url_fetcher=_fetcher())


def render_pdf(html: str) -> bytes:
    return document(html).write_pdf()
