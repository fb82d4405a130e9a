"""Golden test: the Markdown tree generated for a small fixture site, byte for byte.

To accept an intended change, regenerate the expected tree and review the diff:
    BRIEFINGS_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from conftest import generate

from briefings.project import Project

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "small"
GOLDEN = HERE / "golden" / "small"
NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text("utf-8") for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generated_markdown_matches_the_golden_tree(tmp_path):
    project_dir = tmp_path / "small"
    shutil.copytree(FIXTURE, project_dir)
    edition = generate(Project.at(project_dir), now=NOW).edition
    assert (len(edition.articles), edition.left_out) == (4, 2)  # a draft and a future article left out
    got = tree(project_dir / "build" / "docs")
    if os.environ.get("BRIEFINGS_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(project_dir / "build" / "docs", GOLDEN)
    assert sorted(got) == sorted(tree(GOLDEN))
    for name, text in tree(GOLDEN).items():
        assert got[name] == text, f"{name} differs from tests/golden/small/{name}"


def test_a_second_generation_writes_nothing(tmp_path):
    project_dir = tmp_path / "small"
    shutil.copytree(FIXTURE, project_dir)
    project = Project.at(project_dir)
    first = generate(project, now=NOW).written
    second = generate(project, now=NOW).written
    assert first.written == len(list((project_dir / "build/docs").rglob("*.*"))) > 9
    assert second.written == 0 and second.unchanged == first.written


def test_pages_no_longer_generated_are_removed(tmp_path):
    project_dir = tmp_path / "small"
    shutil.copytree(FIXTURE, project_dir)
    project = Project.at(project_dir)
    generate(project, now=NOW)
    (project_dir / "content/articles/2024-01-15-alpha-only.md").unlink()
    stats = generate(project, now=NOW).written
    assert stats.removed == 2  # the article's page, and its week's digest: nothing else happened that week
    assert not (project_dir / "build/docs/articles/2024-01-15-alpha-only.md").exists()
    assert not (project_dir / "build/docs/digests/2024-W03.md").exists()
