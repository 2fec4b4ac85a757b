"""PDF documents of sessions (signing sheets, attendance certificates), drawn by WeasyPrint
from HTML templates. The templates carry their own print stylesheet (A4) and use the system's
sans-serif fonts: a PDF never fetches anything."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header


def render_pdf(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango and friends, which only PDF views need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, context)
    # Nothing to fetch: data: URLs only, never the network nor the file system.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """Shown in the browser (it can print or save it), under a telling file name."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    return response
