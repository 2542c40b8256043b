"""A day's share image: 1200×630 PNG with its title, date and place, in the site's colours.

Drawn with Pillow on the server and kept in a small in-memory cache keyed by the day's id and
version, so an edit to the day draws a new one and a crawler's repeated visits cost nothing.
Pillow is imported when a card is first drawn, not with the app: most workers never draw one.
"""

import io
import textwrap
from collections import OrderedDict
from pathlib import Path

SIZE = (1200, 630)
BRAND, BRAND_DARK, PAPER, FOCUS = "#1d4f91", "#123566", "#ffffff", "#ffbf47"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
KEEP = 64  # images kept in memory, most recently used
_cache: OrderedDict[tuple, bytes] = OrderedDict()


def cached_png(key: tuple, title: str, when: str, place: str, site: str) -> bytes:
    """The image for this key, drawn once."""
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    png = draw_png(title, when, place, site)
    _cache[key] = png
    while len(_cache) > KEEP:
        _cache.popitem(last=False)
    return png


def draw_png(title: str, when: str, place: str, site: str) -> bytes:
    """Draw the card: site name on a band, the title large, then when and where."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", SIZE, BRAND)
    pen = ImageDraw.Draw(picture)
    pen.rectangle((0, 0, SIZE[0], 90), fill=BRAND_DARK)
    pen.rectangle((0, SIZE[1] - 16, SIZE[0], SIZE[1]), fill=FOCUS)
    pen.text((60, 24), site, font=_font(40, bold=True), fill=PAPER)
    big = _font(72, bold=True)
    lines = _wrapped(title, big, SIZE[0] - 160) or [site]
    if len(lines) > 3:
        lines = lines[:2] + [lines[2] + "…"]
    y = 140
    for line in lines:
        pen.text((60, y), line, font=big, fill=PAPER)
        y += 88
    y += 24
    for line in (when, place):
        if line:
            pen.text((60, y), textwrap.shorten(line, 48), font=_font(44), fill=PAPER)
            y += 60
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue()


def _wrapped(text: str, font, width: int) -> list[str]:
    """Lines of whole words that each fit the width as drawn in this font."""
    lines: list[str] = []
    for word in text.split():
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(word)
    return lines


def _font(size: int, bold: bool = False):
    """DejaVu Sans when the system has it, else Pillow's own scalable font."""
    from PIL import ImageFont

    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)
