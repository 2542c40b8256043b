"""QR codes read back by an independent reader: zbarimg, from Debian's zbar-tools (the ZBar
library, with ImageMagick to open PNG and SVG), not the library that made them."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ZBARIMG = "zbarimg"


def read_qr(image: bytes, suffix: str) -> list[str]:
    """The text of every QR code zbarimg finds in the image (suffix: ".png" or ".svg")."""
    reader = shutil.which(ZBARIMG)
    if reader is None:
        pytest.fail(
            "zbarimg is missing: install Debian's zbar-tools package "
            "(apt-get install zbar-tools) to read the QR codes back.",
            pytrace=False,
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"code{suffix}"
        path.write_bytes(image)
        # -q: no summary; --raw: the text only, one line a code; exit 4: no code found
        done = subprocess.run(
            [reader, "-q", "--raw", str(path)], capture_output=True, timeout=60, check=False
        )
    assert done.returncode in (0, 4), done.stderr.decode(errors="replace")
    return done.stdout.decode().splitlines()
