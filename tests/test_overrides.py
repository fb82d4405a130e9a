"""The theme a desk builds with: briefings' own (the package's), with the desk's
overrides/ laid over it, for MkDocs and Zensical alike. One overridden template
wins; everything else is the package's and follows its upgrades."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup
from conftest import VALID, Site, require_installed, tree_hash

from briefings.engine import theme as theme_module
from briefings.engine.incremental import site_key
from briefings.engine.theme import Theme, package_theme, theme_files, theme_of
from briefings.options import build_options
from briefings.project import Project

QUOTED = (
    VALID
    + """\
quotes:
  - text: We will keep the lines open, whatever happens next.
    speaker: A Spokesperson
"""
)
MY_CARD = '<figure class="desk-card">{{ q.text | e }}, said {{ q.speaker | e }}</figure>\n'


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


@pytest.fixture
def desk(site: Site) -> Site:
    site.article("2024/a.md", QUOTED)
    return site


@pytest.fixture
def loaded(monkeypatch) -> dict[str, str]:
    """Every template MkDocs' Jinja loader reads in this process: {name: the file it came from}."""
    found: dict[str, str] = {}
    get_source = jinja2.FileSystemLoader.get_source

    def recording(self, environment, template):
        source, filename, uptodate = get_source(self, environment, template)
        found[template] = filename
        return source, filename, uptodate

    monkeypatch.setattr(jinja2.FileSystemLoader, "get_source", recording)
    return found


@pytest.fixture
def upgradable(monkeypatch, tmp_path) -> Path:
    """A copy of the package's theme that the build uses in its place: edit it to simulate an upgrade."""
    package = tmp_path / "installed-theme"
    shutil.copytree(package_theme(), package)
    monkeypatch.setattr(theme_module, "package_theme", lambda: package)
    return package


# --- one override wins, the rest is the package's --------------------------------


def test_mkdocs_reads_the_overridden_template_from_overrides_and_every_other_from_the_package(desk, loaded):
    (desk.root / "overrides/partials").mkdir()
    (desk.root / "overrides/partials/quote-card.html").write_text(MY_CARD, "utf-8")
    result = desk.run("build")
    assert result.exit_code == 0, result.output

    topic = soup(desk.root / "site/topics/taiwan/index.html")
    assert [c.get_text() for c in topic.select("figure.desk-card")] == [
        "We will keep the lines open, whatever happens next., said A Spokesperson"
    ]
    assert not topic.select(".bf-quote--card")
    article = soup(desk.root / "site/articles/a/index.html")
    assert (
        article.select_one("header.bf-article-header h1").get_text() == "A valid article"
    )  # the package's article.html

    ours = {name for name in theme_files(package_theme()) if name.endswith(".html")}
    used = {name: Path(filename) for name, filename in loaded.items() if name in ours}
    assert {"main.html", "topic.html", "article.html", "partials/quote-card.html"} <= set(used)
    assert used.pop("partials/quote-card.html") == desk.root / "overrides/partials/quote-card.html"
    assert {name: path.parent for name, path in used.items()} == {
        name: (package_theme() / name).parent for name in used
    }
    css = "assets/stylesheets/briefings.css"
    assert (desk.root / "site" / css).read_bytes() == (package_theme() / css).read_bytes()


@pytest.mark.slow
def test_zensical_builds_with_the_overridden_template_and_the_packages_for_the_rest(desk):
    require_installed("zensical")
    (desk.root / "overrides/partials").mkdir()
    (desk.root / "overrides/partials/quote-card.html").write_text(MY_CARD, "utf-8")
    result = desk.run("build", "--engine", "zensical")
    assert result.exit_code == 0, result.output
    topic = soup(desk.root / "site/topics/taiwan/index.html")
    assert [c.get_text() for c in topic.select("figure.desk-card")] == [
        "We will keep the lines open, whatever happens next., said A Spokesperson"
    ]
    assert not topic.select(".bf-quote--card")
    article = soup(desk.root / "site/articles/a/index.html")
    assert article.select_one("header.bf-article-header h1").get_text() == "A valid article"
    # Zensical's one custom_dir: the package's theme with the override composed over it.
    composed = desk.root / "build/theme"
    expected = {
        **theme_files(package_theme()),
        "partials/quote-card.html": desk.root / "overrides/partials/quote-card.html",
    }
    assert sorted(theme_files(composed)) == sorted(expected)
    for name, source in expected.items():
        assert (composed / name).read_bytes() == source.read_bytes(), name
    css = "assets/stylesheets/briefings.css"
    assert (desk.root / "site" / css).read_bytes() == (package_theme() / css).read_bytes()


# --- upgrades ----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_an_upgrade_of_the_package_theme_reaches_a_desk_and_its_override_still_wins(desk, upgradable, engine):
    if engine == "zensical":
        require_installed("zensical")
    assert desk.run("build", "--engine", engine).exit_code == 0
    article = desk.root / "site/articles/a/index.html"
    assert "upgraded-article" not in article.read_text("utf-8")

    # An upgrade of briefings changes two templates; the desk overrides one of them.
    template = upgradable / "article.html"
    template.write_text(template.read_text("utf-8").replace("<header ", '<header data-upgraded-article="1" ', 1))
    card = upgradable / "partials/quote-card.html"
    card.write_text(card.read_text("utf-8").replace("<figure ", '<figure data-upgraded-card="1" ', 1))
    (desk.root / "overrides/partials").mkdir()
    (desk.root / "overrides/partials/quote-card.html").write_text(MY_CARD, "utf-8")

    result = desk.run("build", "--engine", engine)
    assert result.exit_code == 0, result.output
    assert "rebuilt" not in result.stdout  # another theme: every page is built again
    assert soup(article).select_one("header.bf-article-header")["data-upgraded-article"] == "1"
    topic = (desk.root / "site/topics/taiwan/index.html").read_text("utf-8")
    assert "desk-card" in topic and "data-upgraded-card" not in topic


def test_an_incremental_build_after_an_upgrade_builds_every_page(desk, upgradable):
    desk.article("2024/b.md", VALID.replace("A valid article", "Another article"))
    assert desk.run("build").exit_code == 0
    desk.article("2024/b.md", VALID.replace("A valid article", "Another article, edited"))
    assert "changed pages rebuilt)" in desk.run("build").stdout  # an edit alone: incremental
    template = upgradable / "article.html"
    template.write_text(template.read_text("utf-8").replace("<header ", '<header data-upgraded-article="1" ', 1))
    desk.article("2024/b.md", VALID.replace("A valid article", "Another article, edited again"))
    result = desk.run("build")
    assert result.exit_code == 0 and "rebuilt" not in result.stdout
    for slug in ("a", "b"):  # the page that did not change has the upgrade too
        page = soup(desk.root / f"site/articles/{slug}/index.html")
        assert page.select_one("header.bf-article-header")["data-upgraded-article"] == "1"


def test_the_site_key_follows_the_theme_as_built(desk, upgradable):
    project = Project.at(desk.root)

    def key() -> str:
        return site_key(project, build_options(project), nav=[], epoch=0)

    first = key()
    (desk.root / "overrides/README.md").write_text("My notes on the theme.\n", "utf-8")
    (desk.root / "overrides/.gitkeep").write_text("", "utf-8")
    assert key() == first  # not part of the theme
    override = desk.root / "overrides/partials/quote-card.html"
    override.parent.mkdir()
    override.write_text(MY_CARD, "utf-8")
    with_override = key()
    assert with_override != first
    override.write_text(MY_CARD.replace("desk-card", "desk-card-2"), "utf-8")
    assert key() not in (first, with_override)
    override.unlink()
    assert key() == first
    (upgradable / "partials/topic-chips.html").write_text("{# upgraded #}\n", "utf-8")
    assert key() != first


# --- the overrides folder ------------------------------------------------------------


def test_compose_writes_only_what_changed_and_removes_what_is_gone(tmp_path):
    overrides = tmp_path / "overrides"
    (overrides / "partials").mkdir(parents=True)
    (overrides / "partials/quote-card.html").write_text(MY_CARD, "utf-8")
    (overrides / "partials/extra.html").write_text("<p>mine</p>\n", "utf-8")
    (overrides / "README.md").write_text("notes\n", "utf-8")
    theme = Theme(package_theme(), overrides)
    into = tmp_path / "build/theme"
    theme.compose(into)
    expected = {**theme_files(package_theme()), **theme_files(overrides, note=True)}
    assert sorted(theme_files(into)) == sorted(expected) and "README.md" not in expected
    assert (into / "partials/quote-card.html").read_text("utf-8") == MY_CARD
    stamps = {p: p.stat().st_mtime_ns for p in into.rglob("*") if p.is_file()}
    before = tree_hash(into)

    for p in stamps:  # mtimes in the past, so a rewrite would show
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    theme.compose(into)
    assert tree_hash(into) == before
    assert all(p.stat().st_mtime_ns == 1_000_000_000 for p in stamps)

    (overrides / "partials/quote-card.html").unlink()  # the package's card is back
    (overrides / "partials/extra.html").unlink()  # gone from the theme: gone from build/theme/
    theme.compose(into)
    assert (into / "partials/quote-card.html").read_bytes() == (
        package_theme() / "partials/quote-card.html"
    ).read_bytes()
    assert not (into / "partials/extra.html").exists()
    assert sorted(theme_files(into)) == sorted(theme_files(package_theme()))
    changed = [p for p in stamps if p.exists() and p.stat().st_mtime_ns != 1_000_000_000]
    assert changed == [into / "partials/quote-card.html"]


def test_a_desk_without_overrides_folder_builds_with_the_package_theme(site):
    site.article("a.md", VALID)
    site.root.joinpath("overrides").rmdir()
    assert theme_of(build_options(Project.at(site.root)).config) == Theme(package_theme(), None)
    result = site.run("build")
    assert result.exit_code == 0, result.output
    assert not (site.root / "overrides").exists()  # nothing made where nothing was asked for


def test_custom_dir_names_the_overrides_folder_and_defaults_to_overrides(site):
    config = site.root / "mkdocs.yml"
    project = Project.at(site.root)
    assert theme_of(build_options(project).config).overrides == site.root / "overrides"
    config.write_text(config.read_text("utf-8").replace("custom_dir: overrides", "custom_dir: my-theme"), "utf-8")
    assert theme_of(build_options(project).config).overrides is None  # my-theme/ does not exist: nothing to lay over
    (site.root / "my-theme").mkdir()
    assert theme_of(build_options(project).config).overrides == site.root / "my-theme"
    config.write_text(config.read_text("utf-8").replace("  custom_dir: my-theme", ""), "utf-8")
    assert theme_of(build_options(project).config).overrides == site.root / "overrides"


def test_a_custom_dir_that_is_a_file_is_one_line_and_nothing_is_built(site):
    site.article("a.md", VALID)
    site.root.joinpath("overrides").rmdir()
    (site.root / "overrides").write_text("not a folder\n", "utf-8")
    result = site.run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: mkdocs.yml: theme.custom_dir: overrides is a file, not a folder (expected the folder of your "
        "theme overrides: rename the file, or name another folder)\n"
    )
    assert not (site.root / "site").exists() and not (site.root / "build").exists()


def test_a_custom_dir_that_is_not_a_name_is_one_line(site):
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("custom_dir: overrides", "custom_dir: [a, b]"), "utf-8")
    result = site.run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: mkdocs.yml: theme.custom_dir: expected the name of your theme overrides folder, such as "
        "overrides (got ['a', 'b'])\n"
    )


def test_serve_watches_the_overrides_folder(site):
    from briefings.authoring.serve import Preview

    preview = Preview(Project.at(site.root), port=0)
    try:
        assert preview.watched() == [site.root / "content", site.root / "mkdocs.yml", site.root / "overrides"]
        config = site.root / "mkdocs.yml"
        config.write_text(config.read_text("utf-8").replace("custom_dir: overrides", "custom_dir: mine"), "utf-8")
        (site.root / "mine").mkdir()
        assert preview.watched()[-1] == site.root / "mine"
    finally:
        preview.close()
