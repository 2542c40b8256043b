"""QR codes of check-in addresses, as PNG (for email) or SVG (for pages)."""

import io

import segno


def qr_image(url: str, kind: str = "png") -> bytes:
    """A QR code of the address, six pixels a module, with a quiet border."""
    image = io.BytesIO()
    extra = {"title": "Check-in code"} if kind == "svg" else {}
    segno.make(url, error="m").save(image, kind=kind, scale=6, border=2, **extra)
    return image.getvalue()
