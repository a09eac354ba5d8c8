"""HTML to PDF, offline: the one place a page of ours becomes a PDF (WeasyPrint, drawing with Pango).

The renderer is given a URL fetcher that refuses everything but ``data:`` URLs, so no
image, stylesheet or font named in the page — ours or smuggled in through a pattern file —
is ever fetched: not from the network, not from the disk. What cannot be fetched is left
out of the page, and the PDF is still made.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from pattern_guide.errors import ExportError

PDF_MIME = "application/pdf"
_HELP = (
    "PDF export needs WeasyPrint and Debian's Pango libraries — run `make install` "
    "(or `bash scripts/install-pdf.sh` and `pip install weasyprint`). The Markdown and HTML exports still work."
)


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the package is there but Pango is not
        raise ExportError(_HELP) from exc
    return weasyprint


@functools.cache
def pdf_problem() -> str | None:
    """Why PDFs cannot be made on this machine, or None when they can."""
    try:
        _weasyprint()
    except ExportError as exc:
        return str(exc)
    return None


def _not_refusals(record: logging.LogRecord) -> bool:
    """WeasyPrint logs each resource it could not load; for a refused one that is the point, not news."""
    return "not fetched (exports load nothing from outside)" not in record.getMessage()


logging.getLogger("weasyprint").addFilter(_not_refusals)


def _fetcher(weasyprint: Any) -> Any:
    class DataOnly(weasyprint.urls.URLFetcher):  # type: ignore[misc]
        """Serves ``data:`` URLs (decoded in memory); refuses every other URL before any request."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith("data:"):
                raise ValueError(f"not fetched (exports load nothing from outside): {url[:80]}")
            return super().fetch(url, headers)

    return DataOnly(allowed_protocols={"data"}, allow_redirects=False)


def pdf_bytes(html: str) -> bytes:
    """The PDF of a self-contained HTML page; every URL but ``data:`` is refused, never fetched."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(string=html, url_fetcher=_fetcher(weasyprint), base_url=None)
    data: bytes = document.write_pdf()
    return data
