"""The theme's copies of Material's partials stay in step with the installed Material.

A copied partial holds Material's lines with briefings' changes marked:
``{#- briefings: was`` + Material's original lines + ``#}``, then our lines,
then ``{#- briefings: end #}``. Putting the original lines back must give the
installed Material's file exactly, so an upgrade of Material that changes one
of these partials fails here instead of silently losing its change.
"""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest
from conftest import REPO

MATERIAL = Path(material.__file__).parent / "templates"
GENERATED = "{#-\n  This file was automatically generated - do not edit\n-#}\n"
_HEADER = re.compile(r"\A\{#-.*?-#\}\n", re.DOTALL)
_CHANGE = re.compile(r"\{#- briefings: was\n(.*?)-?#\}\n.*?\{#- briefings: end #\}\n", re.DOTALL)
# Theme files that take the place of one of Material's.
SHADOWING = sorted(
    p.relative_to(REPO / "theme").as_posix()
    for p in (REPO / "theme").rglob("*.html")
    if (MATERIAL / p.relative_to(REPO / "theme")).is_file()
)
# main.html is Material's place for overrides; 404.html, a heading in Material, is ours whole.
COPIED = [name for name in SHADOWING if name not in ("main.html", "404.html")]


def material_text(copy: str) -> str:
    """What Material's file would be, from our copy: the header comment dropped,
    every marked change replaced by the lines it replaced."""
    return _CHANGE.sub(lambda m: m[1], _HEADER.sub("", copy, count=1))


def test_the_copies_are_the_ones_we_know():
    assert COPIED == [
        "partials/copyright.html",
        "partials/header.html",
        "partials/logo.html",
        "partials/nav.html",
        "partials/search.html",
        "partials/toc.html",
    ]
    assert '{% extends "base.html" %}' in (REPO / "theme/main.html").read_text("utf-8")


@pytest.mark.parametrize("name", COPIED)
def test_a_copied_partial_matches_the_installed_material_but_for_its_marked_changes(name):
    ours = (REPO / "theme" / name).read_text("utf-8")
    theirs = (MATERIAL / name).read_text("utf-8")
    assert theirs.startswith(GENERATED)
    assert "{#- briefings: was" in ours, "a copy without a marked change should not be a copy"
    assert material_text(ours) == theirs[len(GENERATED) :], (
        f"theme/{name} no longer matches Material's {name}: merge Material's new version and keep the marked changes"
    )


def test_the_check_sees_a_change_outside_the_marks():
    ours = (REPO / "theme/partials/toc.html").read_text("utf-8")
    theirs = (MATERIAL / "partials/toc.html").read_text("utf-8")[len(GENERATED) :]
    assert material_text(ours.replace("md-nav__title", "md-nav__heading")) != theirs
