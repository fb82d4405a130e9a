"""Shared fixtures: real projects on disk, built with the real CLI.

Markers (pyproject.toml): ``browser`` is set here on every test that drives
Chromium; ``slow`` is set on the tests themselves. The quick loop while editing:
pytest -m "not slow and not browser"."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefings.cli import main

REPO = Path(__file__).resolve().parent.parent

TOPICS_YML = """\
- id: us-china
  title: US–China relations
  description: Relations between Washington and Beijing.
- id: taiwan
  title: Taiwan
  description: Taiwan's politics and security.
- id: fentanyl
  title: Fentanyl
  description: The opioid crisis and precursor chemicals.
"""


def copy_sample(dest: Path) -> Path:
    """The repository's sample site (mkdocs.yml, content/; the theme is the package's) in a fresh folder."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "content", dest / "content")
    return dest


class Site:
    """A small project on disk: the sample's mkdocs.yml and an empty overrides/ (as
    `briefings init` makes them; the theme is the package's), with our own content."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        (root / "overrides").mkdir()
        (root / "content" / "articles").mkdir(parents=True)
        self.write("content/topics.yml", TOPICS_YML)

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def article(self, name: str, front: str, body: str = "Body text.\n") -> Path:
        return self.write(f"content/articles/{name}", f"---\n{textwrap.dedent(front).strip()}\n---\n{body}")

    def settings(self, **options) -> None:
        """Set extra.briefings options in this site's mkdocs.yml."""
        config = self.root / "mkdocs.yml"
        lines = "".join(f"    {k}: {str(v).lower() if isinstance(v, bool) else v}\n" for k, v in options.items())
        config.write_text(config.read_text("utf-8").replace("extra:\n", f"extra:\n  briefings:\n{lines}", 1), "utf-8")

    def run(self, *args: str):
        return run_cli(*args, "--project", str(self.root))


def require_installed(module: str) -> None:
    """Fail, never skip, when a dependency of the test extra is missing: a skipped
    test would pass unnoticed on a machine that cannot build what it checks."""
    if importlib.util.find_spec(module) is None:
        pytest.fail(
            f"{module} is not installed: install the test dependencies with `.venv/bin/pip install -e '.[test]'`",
            pytrace=False,
        )


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def pagefind_fragments(bundle: Path) -> dict[str, dict]:
    """Pagefind's stored page records (what results and excerpts show), by URL:
    the pages a search can find, each with its meta, filters and indexed text."""
    records = [
        json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))
        for f in (bundle / "fragment").iterdir()
    ]
    return {r["url"]: r for r in records}


def tree_hash(folder: Path) -> str:
    """One hash over every file's path and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path / "desk")


VALID = """\
title: A valid article
date: 2024-01-13
source: Briefings desk
topics: [taiwan]
"""


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The sample site, built once with the real CLI into a temp folder."""
    root = copy_sample(tmp_path_factory.mktemp("sample"))
    before = tree_hash(root / "content")
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert tree_hash(root / "content") == before, "a build must never modify content/"
    return root, result


SUBPATH_URL = "https://user.github.io/repo/"


@pytest.fixture(scope="session")
def subpath_build(tmp_path_factory):
    """The sample site built for a GitHub project site served under /repo/."""
    root = copy_sample(tmp_path_factory.mktemp("subpath"))
    result = run_cli("build", "--project", str(root), "--base-url", SUBPATH_URL)
    assert result.exit_code == 0, result.output
    return root, result


@pytest.fixture(scope="session")
def pf_served(subpath_build, tmp_path_factory):
    """The sample (Pagefind's search, the default) served under /repo/ on 127.0.0.1."""
    from test_browser import serve_site

    with serve_site("pagefind", subpath_build[0] / "site", tmp_path_factory, subpath=True) as served:
        yield served


@pytest.fixture
def pf_visit(browser, pf_served):
    """A fresh browser context on pf_served; afterwards, no request may have left the test server."""
    from test_browser import visiting

    yield from visiting(browser, pf_served)


BROWSER_FIXTURES = {"browser", "axe_script"}  # Chromium through Playwright; axe-core runs inside it


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``browser`` every test that needs Chromium (directly or through another
    fixture), and every test in test_browser.py, so -m "not browser" leaves them out."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())) or item.path.name == "test_browser.py":
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for every browser test (Playwright allows one sync instance at a time)."""
    from test_browser import launch_browser

    yield from launch_browser()


@pytest.fixture(scope="session")
def axe_script():
    from test_browser import find_axe

    return find_axe()


def generate(project, **options):
    """The pages only (load → validate → group → render → write), as the benchmark times them."""
    from briefings.options import build_options
    from briefings.pipeline import build

    return build(project, build_options(project, pages_only=True, **options))
