"""QR codes of check-in addresses, as PNG (for email) or SVG (for pages).

segno is imported with the first code made (by the mail sender or a check-in page), not
with every web worker.
"""

import io


def qr_image(url: str, kind: str = "png") -> bytes:
    """A QR code of the address, six pixels a module, with a quiet border."""
    import segno

    image = io.BytesIO()
    extra = {"title": "Check-in code"} if kind == "svg" else {}
    segno.make(url, error="m").save(image, kind=kind, scale=6, border=2, **extra)
    return image.getvalue()
