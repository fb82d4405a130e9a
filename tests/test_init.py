"""`briefings init`: a new site that builds at once."""

from __future__ import annotations

import tomllib

import yaml
from bs4 import BeautifulSoup
from conftest import REPO, run_cli, tree_hash

from briefings.authoring.scaffold import theme_source


def test_init_creates_a_site_that_builds_at_once(tmp_path):
    desk = tmp_path / "desk"
    result = run_cli("init", str(desk), "--site-name", "Arctic: Briefings")
    assert result.exit_code == 0, result.output
    for name in (
        "mkdocs.yml",
        "content/topics.yml",
        "theme/main.html",
        ".github/workflows/pages.yml",
        ".gitignore",
        "requirements.txt",
    ):
        assert (desk / name).is_file(), name
    assert len(list((desk / "content/articles").rglob("*.md"))) == 1

    check = run_cli("check", "--project", str(desk))
    assert check.exit_code == 0 and "1 articles (0 drafts) in 1 topics" in check.output
    build = run_cli("build", "--project", str(desk))
    assert build.exit_code == 0, build.output
    home = BeautifulSoup((desk / "site/index.html").read_text("utf-8"), "html.parser")
    assert home.title.get_text().endswith("Arctic: Briefings")
    assert "Example topic" in home.get_text()
    assert "Welcome to your briefing desk" in home.get_text()
    assert (desk / "site/topics/example/index.html").is_file()


def test_the_theme_is_a_copy_of_the_packaged_one(tmp_path):
    assert run_cli("init", str(tmp_path / "desk")).exit_code == 0
    assert theme_source() == REPO / "theme"  # in a checkout, the one source of truth
    assert tree_hash(tmp_path / "desk/theme") == tree_hash(REPO / "theme")


def test_pyproject_ships_the_theme_inside_the_package():
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    assert "briefings.theme" in config["packages"]
    assert config["package-dir"]["briefings.theme"] == "theme"
    assert config["package-data"]["briefings.theme"] == ["**/*"]


def test_the_new_mkdocs_yml_is_the_sample_one_with_its_own_name(tmp_path):
    run_cli("init", str(tmp_path / "desk"))
    new = yaml.safe_load((tmp_path / "desk/mkdocs.yml").read_text("utf-8"))
    sample = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))
    for config in (new, sample):
        config.pop("site_name"), config.pop("site_description")
    assert new == sample


def test_the_pages_workflow_builds_and_deploys_with_the_official_actions(tmp_path):
    run_cli("init", str(tmp_path / "desk"))
    workflow = yaml.safe_load((tmp_path / "desk/.github/workflows/pages.yml").read_text("utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build_steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in build_steps]
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    assert any(s.get("run") == "briefings build" for s in build_steps)
    assert next(s for s in build_steps if "upload-pages-artifact" in s.get("uses", ""))["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_init_accepts_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert run_cli("init", str(tmp_path / "empty")).exit_code == 0
    assert (tmp_path / "empty/mkdocs.yml").is_file()


def test_init_refuses_a_non_empty_folder_and_writes_nothing(tmp_path):
    desk = tmp_path / "desk"
    desk.mkdir()
    (desk / "notes.txt").write_text("mine", "utf-8")
    before = tree_hash(tmp_path)
    result = run_cli("init", str(desk))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {desk} is not empty (expected a new or empty folder, so nothing of yours is "
        "overwritten; nothing written)\n"
    )
    assert tree_hash(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["desk"]  # no staging folder left behind


def test_init_refuses_a_file(tmp_path):
    (tmp_path / "desk").write_text("x", "utf-8")
    result = run_cli("init", str(tmp_path / "desk"))
    assert result.exit_code == 1 and "is a file" in result.output
