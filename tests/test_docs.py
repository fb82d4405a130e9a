"""The documentation: README.md is the front door, docs/ a site that MkDocs +
Material build by its own config, docs/mkdocs.yml.

The build is strict (a broken link or anchor, or a page left out of the nav,
fails it), loads nothing from another host, and every link in README.md leads
to a file that exists. The command reference (docs/src/commands.md) is checked
by cog in test_cli.py.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO

CONFIG = "docs/mkdocs.yml"
README = REPO / "README.md"
# Home, a topic, a story and an article; phones are 390×844 at scale 2.
SCREENSHOTS = {
    f"{page}-{device}.png": size
    for page in ("home", "topic", "story", "article")
    for device, size in (("desktop", (1280, 800)), ("phone", (780, 1688)))
}


def config(path: Path = REPO / CONFIG) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


DOCS_DIR = (REPO / "docs" / config()["docs_dir"]).resolve()


def build_docs(out: Path, config_file: Path | str = CONFIG) -> subprocess.CompletedProcess:
    """`mkdocs build --strict -f docs/mkdocs.yml` from the repository's root, into ``out``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's end-of-life notice: not a warning to test
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(out)],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    result = build_docs(out)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


def nav_pages(nav) -> list[str]:
    pages = []
    for item in nav:
        for value in item.values() if isinstance(item, dict) else [item]:
            pages.extend(nav_pages(value) if isinstance(value, list) else [value])
    return pages


def built_page(site: Path, page: str) -> Path:
    """Where MkDocs writes a page with directory URLs: x.md -> x/index.html."""
    stem = page.removesuffix(".md")
    return site / ("index.html" if stem == "index" else f"{stem}/index.html")


def readme_links() -> list[str]:
    """Every link and image target in README.md, code blocks left out."""
    text = re.sub(r"^```.*?^```", "", README.read_text("utf-8"), flags=re.DOTALL | re.MULTILINE)
    markdown = re.findall(r"\]\(([^)\s]+)\)", text)
    html = re.findall(r'(?:src|href)="([^"]+)"', text)
    return markdown + html


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), path
    return struct.unpack(">II", data[16:24])


# --- the site -----------------------------------------------------------------


def test_the_docs_build_strict(built):
    assert (built / "index.html").is_file()
    assert (built / "architecture/index.html").is_file()


@pytest.mark.parametrize(
    "breakage, message",
    [
        ("[a page](no-such-page.md)", "no-such-page.md"),
        ("[an anchor](content.md#no-such-heading)", "no-such-heading"),
    ],
)
def test_a_broken_link_fails_the_strict_build(tmp_path, breakage, message):
    docs = tmp_path / "docs"
    shutil.copytree(REPO / "docs", docs, ignore=shutil.ignore_patterns("_site"))
    page = docs / config()["docs_dir"] / "index.md"
    page.write_text(page.read_text("utf-8") + f"\n{breakage}\n", "utf-8")
    result = build_docs(tmp_path / "site", docs / "mkdocs.yml")
    assert result.returncode != 0
    assert message in result.stderr


def test_a_page_left_out_of_the_nav_fails_the_strict_build(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(REPO / "docs", docs, ignore=shutil.ignore_patterns("_site"))
    (docs / config()["docs_dir"] / "orphan.md").write_text("# Orphan\n", "utf-8")
    result = build_docs(tmp_path / "site", docs / "mkdocs.yml")
    assert result.returncode != 0
    assert "orphan.md" in result.stderr


def test_every_page_in_the_nav_exists_and_every_page_is_in_the_nav(built):
    pages = nav_pages(config()["nav"])
    assert len(pages) == len(set(pages)) > 10
    for page in pages:
        assert (DOCS_DIR / page).is_file(), f"the nav names {page}, which is not in {DOCS_DIR}"
        assert built_page(built, page).is_file(), page
    written = {p.relative_to(DOCS_DIR).as_posix() for p in DOCS_DIR.rglob("*.md")}
    assert written == set(pages)


def test_the_docs_config_is_its_own_and_writes_to_an_ignored_folder():
    docs = config()
    assert docs["site_dir"] == "_site" and docs["strict"] is True
    assert "/docs/_site/" in (REPO / ".gitignore").read_text("utf-8").splitlines()
    assert config(REPO / "mkdocs.yml")["site_name"] != docs["site_name"]  # not the sample briefing site's


def test_the_docs_load_nothing_from_another_host(built):
    docs = config()
    assert docs["theme"]["font"] is False  # else Material loads Google Fonts
    assert "analytics" not in docs.get("extra", {})
    assert set(docs["plugins"]) == {"search"}
    loaded = []
    for path in built.rglob("*.html"):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for tag in soup.find_all(["script", "img", "iframe", "source", "audio", "video", "embed"], src=True):
            loaded.append((path, tag["src"]))
        for tag in soup.find_all("link", href=True):
            if not {"canonical", "alternate", "prev", "next"} & set(tag.get("rel", [])):
                loaded.append((path, tag["href"]))
    for path in built.rglob("*.css"):
        css = path.read_text("utf-8")
        loaded += [(path, url) for url in re.findall(r"""url\(\s*["']?([^"')]+)""", css) if not url.startswith("data:")]
        loaded += [(path, url) for url in re.findall(r"@import\s+(?:url\()?[\"']?([^\"');]+)", css)]
    assert len(loaded) > 20  # stylesheets, scripts and images were found
    foreign = [(p.relative_to(built).as_posix(), url) for p, url in loaded if urlsplit(url).netloc]
    assert foreign == []


def test_no_docs_page_requests_another_host_in_a_browser(built, browser, tmp_path_factory):
    from test_browser import serve_site, visiting

    with serve_site("docs", built, tmp_path_factory, subpath=False) as served:
        visits = visiting(browser, served)
        page = next(visits)()
        pages = sorted(p.relative_to(built).as_posix() for p in built.rglob("index.html"))
        for number, path in enumerate(pages):
            page.goto(served.url(path.removesuffix("index.html")), wait_until="networkidle" if number == 0 else "load")
        assert page.locator("img[src$='pipeline.svg']").count() == 0  # the last page is not architecture/
        page.goto(served.url("architecture/"))
        assert page.evaluate("document.querySelector(\"img[src$='pipeline.svg']\").naturalWidth") > 0
        assert len(page.context.pages) == 1 and len(pages) > 10
        next(visits, None)  # closes the context and asserts that no request left the test server


# --- README.md, the front door -----------------------------------------------------


def test_every_relative_link_in_the_readme_points_at_a_file_that_exists(built):
    links = readme_links()
    relative = [link for link in links if not urlsplit(link).scheme and not link.startswith("#")]
    assert len(relative) > 10
    for link in relative:
        target, _, anchor = link.partition("#")
        path = (README.parent / target).resolve()
        assert path.exists(), f"README.md links to {target}, which does not exist"
        if anchor and path.suffix == ".md" and path.is_relative_to(DOCS_DIR):
            page = built_page(built, path.relative_to(DOCS_DIR).as_posix()).read_text("utf-8")
            assert anchor in re.findall(r'id="([^"]+)"', page), f"README.md links to {link}: no such heading"


def test_the_readme_is_short_and_links_every_page_of_the_docs():
    readme = README.read_text("utf-8")
    assert readme.count("\n") < 100, "README.md is the front door: move reference material to docs/"
    linked = {(README.parent / link.partition("#")[0]).resolve() for link in readme_links()}
    for page in nav_pages(config()["nav"]):
        assert (DOCS_DIR / page).resolve() in linked, f"README.md does not link docs/src/{page}"
    for name in SCREENSHOTS:
        assert (DOCS_DIR / "images" / name).resolve() in linked, name


def test_getting_started_shows_the_readme_build_command():
    build = re.search(r"<!-- build-command -->\n```sh\n(.+?)\n```", README.read_text("utf-8")).group(1)
    assert f"```sh\n{build}\n```" in (DOCS_DIR / "getting-started.md").read_text("utf-8")


# --- the screenshots ---------------------------------------------------------------


def test_the_committed_screenshots_have_the_sizes_the_script_makes():
    for name, size in SCREENSHOTS.items():
        assert png_size(DOCS_DIR / "images" / name) == size, name


@pytest.mark.browser
@pytest.mark.slow
def test_the_screenshot_script_makes_them_again(tmp_path):
    from test_browser import CHROMIUM, require

    require(
        CHROMIUM.is_file(),
        f"no Chromium at {CHROMIUM} (or set BRIEFINGS_CHROMIUM to one)",
        "sudo apt-get install chromium",
    )
    result = subprocess.run(
        [sys.executable, str(REPO / "docs/screenshots.py"), "--out", str(tmp_path)],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "BRIEFINGS_CHROMIUM": str(CHROMIUM)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(SCREENSHOTS)
    for name, size in SCREENSHOTS.items():
        assert png_size(tmp_path / name) == size, name
        assert (tmp_path / name).stat().st_size > 20_000, name  # a page, not a blank
