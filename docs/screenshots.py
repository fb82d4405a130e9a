"""Screenshots of the sample site for README.md and the docs: its home page, a
topic, a story and an article, each on a desktop and on a phone.

Builds the sample site with the real command line (`briefings build`) in a
temporary copy of this repository's content/ and mkdocs.yml (so the
repository's own build/ and site/ are left alone), serves it on 127.0.0.1 and
photographs it with Playwright driving Debian's Chromium (never `playwright
install`: no browser is downloaded). A request to any other host is an error.

    .venv/bin/python docs/screenshots.py              # writes docs/src/images/{home,topic,story,article}-*.png
    .venv/bin/python docs/screenshots.py --out DIR    # somewhere else
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs/src/images"
CHROMIUM = Path(os.environ.get("BRIEFINGS_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The pages photographed, by name: a page of each kind in the sample.
PAGES = {
    "home": "",
    "topic": "topics/taiwan/",
    "story": "stories/biden-xi-lima-2024/",
    "article": "articles/2024-11-16-kjzz-biden-xi-ai-nuclear-decisions/",
}
# device: (viewport, device scale, phone?)
DEVICES = {
    "desktop": ({"width": 1280, "height": 800}, 1, False),
    "phone": ({"width": 390, "height": 844}, 2, True),
}
SHOTS = {f"{page}-{device}": (PAGES[page], *DEVICES[device]) for page in PAGES for device in DEVICES}


def build_sample(folder: Path) -> Path:
    """The sample site, built by the real CLI in a copy of the project; returns its site folder."""
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "content", folder / "content")
    # A base URL or project from the caller's environment would build another site.
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFINGS_")}
    subprocess.run([sys.executable, "-m", "briefings", "build", "--project", str(folder)], check=True, env=env)
    return folder / "site"


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site on a threaded http.server on 127.0.0.1; yields its address."""
    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def photograph(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        raise SystemExit(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set BRIEFINGS_CHROMIUM)")
    foreign: list[str] = []
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        for name, (path, viewport, scale, phone) in SHOTS.items():
            context = browser.new_context(
                viewport=viewport,
                device_scale_factor=scale,
                is_mobile=phone,
                has_touch=phone,
                color_scheme="light",
                reduced_motion="reduce",
            )
            # Any request to another host is stopped, recorded and reported.
            context.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(base)
                    else (foreign.append(route.request.url), route.abort())
                ),
            )
            page = context.new_page()
            page.goto(base + path, wait_until="networkidle")
            png = out / f"{name}.png"
            page.screenshot(path=png, animations="disabled", caret="hide")
            written.append(png)
            context.close()
        browser.close()
    if foreign:
        raise SystemExit("the site requested other hosts: " + ", ".join(sorted(set(foreign))))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write the PNGs (default: {OUT})")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve(build_sample(Path(tmp))) as base:
        for path in photograph(base, args.out):
            print(path)


if __name__ == "__main__":
    main()
