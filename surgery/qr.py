"""QR codes of check-in addresses, as PNG (for email) or SVG (for pages).

zxing-cpp lays out the code: its encoder (zint, in C) chooses the best of the eight masks by
the standard's penalty rules, as a scanner expects, in a fraction of a millisecond; the same
choice in pure Python took most of a confirmation email's sending time. The layout is then
drawn here, six pixels a module with a quiet border of two. zxing-cpp is imported with the
first code made (by the mail sender or a check-in page), not with every web worker.
"""

import itertools
import struct
import zlib

SCALE = 6  # pixels a module in the PNG; the SVG scales to what the page gives it
BORDER = 2  # modules of quiet white around the code
TITLE = "Check-in code"


def qr_image(url: str, kind: str = "png") -> bytes:
    """A QR code of the address, medium error correction, with a quiet border."""
    rows = _modules(url)
    return _svg(rows) if kind == "svg" else _png(rows)


def _modules(url: str) -> list[list[bool]]:
    """The code's rows of modules, True for a dark one."""
    import zxingcpp

    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    matrix = memoryview(code.to_image(scale=1, add_quiet_zones=False))  # 0 dark, 255 light
    size = matrix.shape[1]
    flat = matrix.tobytes()
    return [[v < 128 for v in flat[y * size : (y + 1) * size]] for y in range(matrix.shape[0])]


def _png(rows: list[list[bool]]) -> bytes:
    """The code as a 1-bit greyscale PNG (0 dark, 1 light), SCALE pixels a module. Written
    here, not through Pillow: its 5 MB would stay in every web worker that sends mail."""
    side = (len(rows) + 2 * BORDER) * SCALE
    edge, pad = "1" * BORDER * SCALE, "1" * (-side % 8)  # each line ends on a whole byte

    def line(bits: str) -> bytes:  # filter type 0, then the pixels, eight a byte
        return b"\x00" + int(bits + pad, 2).to_bytes((side + 7) // 8, "big")

    blank = [line("1" * side)] * (BORDER * SCALE)
    lines = list(blank)
    for row in rows:
        modules = "".join(("0" if dark else "1") * SCALE for dark in row)
        lines += [line(edge + modules + edge)] * SCALE
    lines += blank
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return b"".join(
        [b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header)]
        + [_chunk(b"IDAT", zlib.compress(b"".join(lines), 9)), _chunk(b"IEND", b"")]
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: its length, kind, data and CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _svg(rows: list[list[bool]]) -> bytes:
    """The code as an SVG of one path, a run of dark modules at a time, SCALE units a module;
    it fills the size the page gives it."""
    side = (len(rows) + 2 * BORDER) * SCALE
    runs = []
    for y, row in enumerate(rows):
        top, left = (y + BORDER) * SCALE, BORDER * SCALE
        for dark, modules in itertools.groupby(row):
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
