"""`briefings init`: a new desk that builds at once and follows upgrades of briefings;
--eject-theme for a curator who wants to own the whole theme."""

from __future__ import annotations

import datetime as dt
import tomllib

import yaml
from bs4 import BeautifulSoup
from conftest import REPO, run_cli, tree_hash
from packaging.requirements import Requirement

import briefings
from briefings.engine.theme import package_theme, theme_files

TODAY = dt.date.today()


def desk_files(desk) -> list[str]:
    return sorted(p.relative_to(desk).as_posix() for p in desk.rglob("*") if p.is_file())


def test_init_creates_a_desk_without_a_copy_of_the_theme_that_builds_at_once(tmp_path):
    desk = tmp_path / "desk"
    result = run_cli("init", str(desk), "--site-name", "Arctic: Briefings")
    assert result.exit_code == 0, result.output
    welcome = f"content/articles/{TODAY.year:04d}/{TODAY.isoformat()}-welcome.md"
    assert desk_files(desk) == sorted(
        [
            ".github/workflows/pages.yml",
            ".gitignore",
            welcome,
            "content/topics.yml",
            "mkdocs.yml",
            "overrides/README.md",
            "requirements.txt",
        ]
    )
    assert result.output.splitlines()[1:8] == [
        "  .github/workflows/pages.yml",
        "  .gitignore",
        f"  {welcome}",
        "  content/topics.yml",
        "  mkdocs.yml",
        "  overrides/README.md",
        "  requirements.txt",
    ]

    check = run_cli("check", "--project", str(desk))
    assert check.exit_code == 0 and "1 articles (0 drafts) in 1 topics" in check.output
    build = run_cli("build", "--project", str(desk))
    assert build.exit_code == 0, build.output
    home = BeautifulSoup((desk / "site/index.html").read_text("utf-8"), "html.parser")
    assert home.title.get_text().endswith("Arctic: Briefings")
    assert "Example topic" in home.get_text()
    assert "Welcome to your briefing desk" in home.get_text()
    assert (desk / "site/topics/example/index.html").is_file()
    # The theme came from the package: its stylesheet and script, byte for byte.
    for asset in ("assets/stylesheets/briefings.css", "assets/javascripts/briefings-search.js"):
        assert (desk / "site" / asset).read_bytes() == (package_theme() / asset).read_bytes()
    assert home.select_one('link[href$="assets/stylesheets/briefings.css"]') is not None
    assert desk_files(desk / "overrides") == ["README.md"]  # the build wrote nothing there


def test_the_package_theme_is_the_repositorys_theme_folder():
    assert package_theme() == REPO / "theme"  # in a checkout, the one source of truth
    assert "main.html" in theme_files(package_theme())


def test_pyproject_ships_the_theme_inside_the_package():
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    assert "briefings.theme" in config["packages"]
    assert config["package-dir"]["briefings.theme"] == "theme"
    assert config["package-data"]["briefings.theme"] == ["**/*"]


def test_the_version_is_written_in_one_place():
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "briefings.__version__"}
    assert briefings.__version__ == "0.2.0"


def test_the_new_mkdocs_yml_is_the_sample_one_with_its_own_name(tmp_path):
    run_cli("init", str(tmp_path / "desk"))
    new = yaml.safe_load((tmp_path / "desk/mkdocs.yml").read_text("utf-8"))
    sample = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))
    for config in (new, sample):
        config.pop("site_name"), config.pop("site_description")
    assert new == sample
    assert new["theme"]["custom_dir"] == "overrides"


def test_requirements_name_a_range_that_the_release_is_in_not_a_pin(tmp_path):
    run_cli("init", str(tmp_path / "desk"))
    lines = (tmp_path / "desk/requirements.txt").read_text("utf-8").splitlines()
    (requirement,) = [Requirement(line) for line in lines if line and not line.startswith("#")]
    assert requirement.name == "briefings"
    assert str(requirement.specifier) == "~=0.2"
    assert requirement.specifier.contains(briefings.__version__)
    assert requirement.specifier.contains("0.9.1") and not requirement.specifier.contains("1.0.0")
    assert not requirement.specifier.contains("0.1.0")


def test_the_pages_workflow_gets_the_address_first_then_builds_and_deploys(tmp_path):
    run_cli("init", str(tmp_path / "desk"))
    workflow = yaml.safe_load((tmp_path / "desk/.github/workflows/pages.yml").read_text("utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    runs = [s.get("run", "") for s in steps]
    install = runs.index("python -m pip install -r requirements.txt")
    build = runs.index("briefings build")
    assert uses.index("actions/checkout") < uses.index("actions/setup-python") < uses.index("actions/configure-pages")
    assert uses.index("actions/configure-pages") < install < build < uses.index("actions/upload-pages-artifact")
    assert steps[uses.index("actions/setup-python")]["with"]["cache"] == "pip"
    # The last run's build folder comes back before the build (and is saved after it), whatever
    # the commit: the newest cache's key is a prefix of every later one.
    cache = steps[uses.index("actions/cache")]["with"]
    assert uses.index("actions/cache") < build and cache["path"].split() == ["build/", "site/", ".site-spare/"]
    assert "${{ github.sha }}" in cache["key"] and cache["key"].startswith(cache["restore-keys"])
    assert "hashFiles('requirements.txt')" in cache["restore-keys"]
    pages = steps[uses.index("actions/configure-pages")]
    assert steps[build]["env"] == {"BRIEFINGS_BASE_URL": "${{ steps." + pages["id"] + ".outputs.base_url }}"}
    assert steps[uses.index("actions/upload-pages-artifact")]["with"]["path"] == "site/"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_init_accepts_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert run_cli("init", str(tmp_path / "empty")).exit_code == 0
    assert (tmp_path / "empty/mkdocs.yml").is_file()


def test_init_fills_an_empty_folder_in_place_even_the_current_one(tmp_path, monkeypatch):
    """`briefings init .` in a new empty folder: the folder stays the one the shell is in
    (same inode, mode and setgid bit), the desk builds there, and nothing is left beside it."""
    desk = tmp_path / "shared desk"
    desk.mkdir()
    desk.chmod(0o2770)
    before = desk.stat()
    monkeypatch.chdir(desk)
    result = run_cli("init", ".")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Created ./ (")
    assert result.output.splitlines()[-1].startswith("Next: briefings serve ")  # no "cd ." first
    after = desk.stat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert (desk / "mkdocs.yml").is_file() and sorted(p.name for p in tmp_path.iterdir()) == ["shared desk"]
    assert run_cli("build", "--project", ".").exit_code == 0
    monkeypatch.chdir(tmp_path)
    other = run_cli("init", "another desk")
    assert other.output.splitlines()[-1].startswith("Next: cd 'another desk' && briefings serve ")  # quoted


def test_init_refuses_a_site_name_with_a_control_character(tmp_path):
    result = run_cli("init", str(tmp_path / "desk"), "--site-name", "Arctic\x07 Briefings")
    assert result.exit_code == 2
    assert "--site-name contains the control character U+0007 (expected the site's title)" in result.output
    assert not (tmp_path / "desk").exists()


def test_init_refuses_a_non_empty_folder_and_writes_nothing(tmp_path):
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "notes.txt").write_text("mine", "utf-8")
    before = tree_hash(tmp_path)
    for eject in ((), ("--eject-theme",)):  # not a site: --eject-theme refuses it too
        result = run_cli("init", str(desk), *eject)
        assert result.exit_code == 1
        assert result.output == (
            f"Error: {desk} is not empty (expected a new or empty folder, so nothing of yours is "
            "overwritten; nothing written)\n"
        )
        assert tree_hash(tmp_path) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["desk"]  # no staging folder left behind


def test_init_refuses_an_existing_site_without_eject_theme(tmp_path):
    desk = tmp_path / "desk"
    run_cli("init", str(desk))
    before = tree_hash(desk)
    result = run_cli("init", str(desk))
    assert result.exit_code == 1 and "is not empty" in result.output
    assert tree_hash(desk) == before


def test_init_refuses_a_file(tmp_path):
    (tmp_path / "desk").write_text("x", "utf-8")
    result = run_cli("init", str(tmp_path / "desk"))
    assert result.exit_code == 1 and "is a file" in result.output


# --- --eject-theme ---------------------------------------------------------------


def test_eject_theme_gives_a_new_desk_the_whole_theme_in_overrides(tmp_path):
    desk = tmp_path / "desk"
    result = run_cli("init", str(desk), "--eject-theme")
    assert result.exit_code == 0, result.output
    theme = theme_files(package_theme())
    assert len(theme) > 20
    for rel, source in theme.items():
        assert (desk / "overrides" / rel).read_bytes() == source.read_bytes(), rel
    assert desk_files(desk / "overrides") == sorted([*theme, "README.md"])
    assert f"  overrides/ (briefings' theme, {len(theme)} files: yours now, upgrades no longer change them)" in (
        result.output.splitlines()
    )
    assert run_cli("build", "--project", str(desk)).exit_code == 0


def test_eject_theme_into_an_existing_desk_keeps_the_curators_files(tmp_path):
    desk = tmp_path / "desk"
    run_cli("init", str(desk))
    mine = desk / "overrides/partials/quote-card.html"
    mine.parent.mkdir(parents=True)
    mine.write_text("<figure>mine</figure>\n", "utf-8")
    result = run_cli("init", str(desk), "--eject-theme")
    assert result.exit_code == 0, result.output
    theme = theme_files(package_theme())
    assert result.output == (
        f"Copied {len(theme) - 1} theme files into {desk / 'overrides'}/: they are yours now, and upgrades of "
        "briefings no longer change them (delete the ones you do not change).\n"
        "Kept 1 of your files there as they are: partials/quote-card.html\n"
    )
    assert mine.read_text("utf-8") == "<figure>mine</figure>\n"
    assert (desk / "overrides/README.md").read_text("utf-8").startswith("# Your changes to the theme")
    assert (desk / "overrides/article.html").read_bytes() == (package_theme() / "article.html").read_bytes()
    again = run_cli("init", str(desk), "--eject-theme")  # nothing left to copy, nothing overwritten
    assert again.exit_code == 0 and again.output.startswith("Copied 0 theme files")


def test_eject_theme_follows_custom_dir_and_refuses_one_that_is_a_file(tmp_path):
    desk = tmp_path / "desk"
    run_cli("init", str(desk))
    config = desk / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("custom_dir: overrides", "custom_dir: my-theme"), "utf-8")
    assert run_cli("init", str(desk), "--eject-theme").exit_code == 0
    assert (desk / "my-theme/main.html").is_file()
    (desk / "my-theme").rename(desk / "elsewhere")
    (desk / "my-theme").write_text("not a folder", "utf-8")
    before = tree_hash(desk)
    result = run_cli("init", str(desk), "--eject-theme")
    assert result.exit_code == 1
    assert result.output == (
        "Error: mkdocs.yml: theme.custom_dir: my-theme is a file, not a folder (expected the folder of your "
        "theme overrides: rename the file, or name another folder)\n"
    )
    assert tree_hash(desk) == before


def test_eject_theme_into_an_existing_desk_takes_no_site_name(tmp_path):
    desk = tmp_path / "desk"
    run_cli("init", str(desk))
    before = tree_hash(desk)
    result = run_cli("init", str(desk), "--eject-theme", "--site-name", "Other")
    assert result.exit_code == 2
    assert "--site-name: " in result.output and "is an existing site (set site_name in its mkdocs.yml)" in (
        result.output
    )
    assert tree_hash(desk) == before


def test_init_help_says_that_ejected_files_no_longer_follow_upgrades():
    text = " ".join(run_cli("init", "--help").output.split())
    assert "--eject-theme" in text and "upgrades of briefings then no longer reach those files" in text
