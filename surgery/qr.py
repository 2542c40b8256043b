"""QR codes of check-in addresses, as PNG (for email) or SVG (for pages).

zxing-cpp lays out the code: its encoder (zint, in C) chooses the best of the eight masks by
the standard's penalty rules, as a scanner expects, in a fraction of a millisecond; the same
choice in pure Python took most of a confirmation email's sending time. The layout is then
drawn here, six pixels a module with a quiet border of two. zxing-cpp and Pillow are
imported with the first code made (by the mail sender or a check-in page), not with every
web worker.
"""

import io
import itertools

SCALE = 6  # pixels a module in the PNG; the SVG scales to what the page gives it
BORDER = 2  # modules of quiet white around the code
TITLE = "Check-in code"


def qr_image(url: str, kind: str = "png") -> bytes:
    """A QR code of the address, medium error correction, with a quiet border."""
    rows = _modules(url)
    return _svg(rows) if kind == "svg" else _png(rows)


def _modules(url: str) -> list[bytes]:
    """The code's rows of modules, one byte each: 0 dark, 255 light."""
    import zxingcpp

    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    matrix = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    size = matrix.shape[1]
    flat = matrix.tobytes()
    return [flat[y * size : (y + 1) * size] for y in range(matrix.shape[0])]


def _png(rows: list[bytes]) -> bytes:
    """The code as a black-and-white PNG, SCALE pixels a module."""
    from PIL import Image, ImageOps

    size = len(rows)
    modules = Image.frombytes("L", (size, size), b"".join(rows))
    framed = ImageOps.expand(modules.convert("1", dither=Image.Dither.NONE), border=BORDER, fill=1)
    side = (size + 2 * BORDER) * SCALE
    image = io.BytesIO()
    framed.resize((side, side), Image.Resampling.NEAREST).save(image, "PNG")
    return image.getvalue()


def _svg(rows: list[bytes]) -> bytes:
    """The code as an SVG of one path, a run of dark modules at a time, SCALE units a module;
    it fills the size the page gives it."""
    side = (len(rows) + 2 * BORDER) * SCALE
    runs = []
    for y, row in enumerate(rows):
        top, left = (y + BORDER) * SCALE, BORDER * SCALE
        for dark, modules in itertools.groupby(row, key=lambda v: v < 128):
            width = len(list(modules)) * SCALE
            if dark:
                runs.append(f"M{left} {top}h{width}v{SCALE}h-{width}z")
            left += width
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}"'
        f' width="{side}" height="{side}" shape-rendering="crispEdges">'
        f'<title>{TITLE}</title><rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    ).encode()
