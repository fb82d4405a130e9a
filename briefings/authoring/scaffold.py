"""`briefings init`: a new, empty briefing site that builds at once.

A desk holds its content, mkdocs.yml, a GitHub Pages workflow, requirements.txt,
.gitignore and an empty overrides/ folder: the theme comes with the installed
package (``engine/theme.py``), so upgrades of briefings reach the desk. With
``--eject-theme`` the package's theme is copied into overrides/, for a curator
who wants to own all of it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefings import __version__
from briefings.engine.theme import package_theme, theme_files
from briefings.errors import ProjectError
from briefings.options import SiteConfig
from briefings.project import Project

MKDOCS_YML = """\
# Your briefing site. `briefings build` generates the pages into build/docs/
# and sets the navigation itself; everything else here is yours.
site_name: {site_name}
site_description: {site_description}
# site_url: https://YOUR-NAME.github.io/YOUR-REPOSITORY/
docs_dir: build/docs
site_dir: site
strict: true

theme:
  name: material
  custom_dir: overrides  # your changes to briefings' theme (see overrides/README.md)
  language: en
  font: false  # system fonts: the site makes no request to any other host
  features:
    - navigation.indexes
    - navigation.prune  # only the visible part of the nav in each page: pages stay small
    - navigation.top
    - search.suggest
    - search.highlight
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: indigo
      accent: indigo
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: indigo
      accent: indigo
      toggle:
        icon: material/brightness-4
        name: Switch to light mode

plugins:
  # Material's search, used only with `search: material` under extra.briefings below:
  # the site's search is Pagefind's, whose index a reader fetches in small pieces once
  # they type (Material's is one file every page downloads: fine for a small desk).
  - search

markdown_extensions:
  - attr_list
  - md_in_html
  - admonition
  - toc:
      permalink: true

extra:
  generator: false
  # briefings' options (docs: Configuration), such as
  # briefings:
  #   search: material  # Material's search instead of Pagefind's
"""

TOPICS_YML = """\
# The topics, in the order they appear on the site.
# id: the URL slug (topics/<id>/) and what articles list under topics:.
# keywords: words and phrases that suggest an article belongs here
# (`briefings check --suggest` and `briefings import` use them).
# state_of_play: one paragraph (at most 700 characters) saying where the topic
# stands today, shown on the home page and the topic's page; updated: the day
# you last wrote it (YYYY-MM-DD). Rewrite both when the story moves on.
- id: example
  title: Example topic
  description: >-
    Replace this topic with your own: give it an id, a title, a one-line
    description and a few keywords.
  state_of_play: >-
    Nothing has happened yet: this is where you say, in a few sentences, where
    the topic stands today and what to watch next.
  updated: {date}
  keywords: [example, briefing]
"""

WELCOME = """\
---
title: Welcome to your briefing desk
date: {date}
source: Briefings desk
topics: [example]
summary: >-
  This example article shows what a briefing entry looks like. Replace it
  with your first real one.
key_points:
  - "Add an article: briefings new \\"Headline\\" --topic example"
  - "Or import a clipping: briefings import page.html"
  - "Preview while you write: briefings serve"
why_it_matters: >-
  Each article you add appears on its topic's briefing page, in the timeline
  and under its source.
---
Write your notes on an article here, in Markdown and in your own words. Keep
the original's link in `url:` rather than pasting its text.
"""

PAGES_WORKFLOW = """\
# Build the briefing site and publish it on GitHub Pages.
# In the repository's settings, set Pages > Source to "GitHub Actions".
name: Publish the briefing site

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a newer push does not cancel one in progress.
concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
      # First: it gives the site's address, which the build needs.
      - id: pages
        uses: actions/configure-pages@v5
      # The build folder and the site of the last run: parsed articles,
      # generated pages, the search index in shards by date, and the pages as
      # built, with the site before it (.site-spare/, hard links to the same
      # files but for the pages that run rebuilt), which the next build
      # starts from. A push that changes a few articles then rebuilds their
      # pages and indexes their shards again, nothing else. Safe to lose:
      # without it the build starts from scratch and the site is the same. A
      # new release of briefings starts it again by itself; a change of
      # requirements.txt too.
      - uses: actions/cache@v4
        with:
          path: |
            build/
            site/
            .site-spare/
          key: briefings-build-${{ hashFiles('requirements.txt') }}-${{ github.sha }}
          restore-keys: briefings-build-${{ hashFiles('requirements.txt') }}-
      - name: Install briefings
        run: python -m pip install -r requirements.txt
      - name: Build the site
        # A project site lives under https://OWNER.github.io/REPOSITORY/: its
        # links and assets are built for that path.
        env:
          BRIEFINGS_BASE_URL: ${{ steps.pages.outputs.base_url }}
        run: briefings build
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site/

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""

REQUIREMENTS = """\
# What the GitHub Pages workflow installs to build this site: briefings
# {series} or a later release before 1.0, so upgrades reach the site
# (Pagefind, the site's search, comes with it).
briefings~={series}
"""

OVERRIDES_README = """\
# Your changes to the theme

briefings draws every page with the theme it comes with, so an upgrade of
briefings reaches this site. To change a template, the stylesheet or the
script, put your own file in this folder under the same path as briefings'
file: overrides/partials/quote-card.html, overrides/article.html,
overrides/assets/stylesheets/briefings.css... Yours is used instead of ours;
everything else still follows upgrades.

To start from briefings' own files, `briefings init --eject-theme .` copies
them all here, keeping any file already here. Upgrades of briefings then no
longer change those files: delete the ones you do not change.
"""

GITIGNORE = """\
# Generated by `briefings build`: never edit, never commit.
/build/
/site/
/.site-*/
__pycache__/
.venv/
"""


def scaffold_files(site_name: str, today: dt.date) -> dict[str, str]:
    """Every file of a new site: {relative path: text}."""
    major, minor = __version__.split(".")[:2]
    return {
        "mkdocs.yml": MKDOCS_YML.format(
            site_name=_yaml_text(site_name),
            site_description=_yaml_text(f"{site_name}: curated news, grouped by topic."),
        ),
        "content/topics.yml": TOPICS_YML.format(date=today.isoformat()),
        f"content/articles/{today.year:04d}/{today.isoformat()}-welcome.md": WELCOME.format(date=today.isoformat()),
        ".github/workflows/pages.yml": PAGES_WORKFLOW,
        "requirements.txt": REQUIREMENTS.format(series=f"{major}.{minor}"),
        ".gitignore": GITIGNORE,
        "overrides/README.md": OVERRIDES_README,
    }


def init_site(
    folder: Path, *, site_name: str = "Briefings", today: dt.date | None = None, eject_theme: bool = False
) -> list[str]:
    """Create the site in ``folder`` (new or empty). Returns the files written, relative to it.

    Everything is written to a staging folder beside it first and renamed into
    place, so a failure leaves nothing behind.
    """
    folder = folder.resolve()
    if folder.exists():
        if not folder.is_dir():
            raise ProjectError(f"{folder} is a file (expected a new or empty folder; nothing written)")
        if any(folder.iterdir()):
            raise ProjectError(
                f"{folder} is not empty (expected a new or empty folder, so nothing of yours is "
                "overwritten; nothing written)"
            )
    if not site_name.strip():
        raise ProjectError("--site-name is empty (expected the site's title)")
    theme = theme_files(package_theme()) if eject_theme else {}
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-init-", dir=folder.parent))
    try:
        for rel, text in scaffold_files(site_name.strip(), today or dt.date.today()).items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        for rel, source in theme.items():
            (staging / "overrides" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, staging / "overrides" / rel)
        os.chmod(staging, 0o755)  # mkdtemp makes it private
        if folder.exists():
            _fill(folder, staging)
        else:
            staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _fill(folder: Path, staging: Path) -> None:
    """Move what ``staging`` holds into the empty ``folder``, which stays itself (the shell's
    current folder, with its owner and mode: ``briefings init .``); on a failure, what was
    moved in is taken out again, and nothing that appeared there meanwhile is overwritten."""
    moved: list[Path] = []
    try:
        for entry in sorted(staging.iterdir()):
            dest = folder / entry.name
            if os.path.lexists(dest):
                raise ProjectError(f"{dest} appeared while the site was made (nothing of yours overwritten)")
            entry.rename(dest)
            moved.append(dest)
    except BaseException:
        for dest in moved:
            if dest.is_dir() and not dest.is_symlink():
                shutil.rmtree(dest, ignore_errors=True)
            else:
                dest.unlink(missing_ok=True)
        raise
    staging.rmdir()


@dataclass(frozen=True)
class Ejected:
    overrides: Path  # the desk's overrides folder
    copied: tuple[str, ...]  # theme files copied into it, by path inside it
    kept: tuple[str, ...]  # theme files it already had: the curator's, left as they are


def eject_theme(project: Project) -> Ejected:
    """Copy the package's theme into an existing desk's overrides folder. A file
    already there is the curator's: it is kept, never overwritten."""
    overrides = SiteConfig.read(project).overrides_dir  # refuses one that is a file
    copied, kept = [], []
    for rel, source in theme_files(package_theme()).items():
        dest = overrides / rel
        if os.path.lexists(dest):
            kept.append(rel)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        copied.append(rel)
    return Ejected(overrides, tuple(copied), tuple(kept))


def _yaml_text(value: str) -> str:
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1_000_000)
        .removesuffix("\n...\n")
        .strip()
    )
