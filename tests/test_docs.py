"""The screenshots of the sample site in the docs: docs/screenshots.py makes them
again, at the sizes of the committed ones."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

from conftest import REPO

DOCS_DIR = REPO / "docs/src"
SCREENSHOTS = {"home-desktop.png": (1280, 800), "home-phone.png": (780, 1688)}  # 390×844 at scale 2


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), path
    return struct.unpack(">II", data[16:24])


# --- the screenshots ---------------------------------------------------------------

def test_the_committed_screenshots_have_the_sizes_the_script_makes():
    for name, size in SCREENSHOTS.items():
        assert png_size(DOCS_DIR / "images" / name) == size, name


def test_the_screenshot_script_makes_them_again(tmp_path):
    from test_browser import CHROMIUM, require

    require(CHROMIUM.is_file(), f"no Chromium at {CHROMIUM} (apt-get install chromium, or set BRIEFINGS_CHROMIUM)")
    result = subprocess.run([sys.executable, str(REPO / "docs/screenshots.py"), "--out", str(tmp_path)],
                            capture_output=True, text=True, env={**os.environ, "BRIEFINGS_CHROMIUM": str(CHROMIUM)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SCREENSHOTS)
    for name, size in SCREENSHOTS.items():
        assert png_size(tmp_path / name) == size, name
        assert (tmp_path / name).stat().st_size > 20_000, name  # a page, not a blank
