"""A release a desk can install, and the desk's own workflow publishing with it.

The release is built as .github/workflows/release.yml builds it (``python -m
build``: the sdist, then the wheel from the sdist; ``twine check``), installed
into a fresh virtual environment with its dependencies from the package index,
and used from folders outside the repository: the GitHub Pages workflow of a
desk made by ``briefings init`` runs step by step, and a build records where
every template it drew came from.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, run_cli
from packaging.requirements import Requirement

import briefings
from briefings.engine.theme import theme_files

SOURCES = ("pyproject.toml", "README.md", "briefings", "theme")  # what the sdist is made of
BASE_URL = "https://owner.github.io/repo"  # as actions/configure-pages gives it: no final slash
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, capture_output=True, text=True, timeout=900, check=False, **kwargs)
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


def environment(venv: Path | None = None) -> dict[str, str]:
    """This machine's environment without anything pointing into the repository or
    at another project: only ``venv`` (first on PATH) provides python and briefings."""
    path = [p for p in os.environ["PATH"].split(os.pathsep) if p and not Path(p).resolve().is_relative_to(REPO)]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BRIEFINGS_", "PYTHON", "VIRTUAL_ENV", "SOURCE_DATE_EPOCH"))
    }
    env["PATH"] = os.pathsep.join(([str(venv / "bin")] if venv else []) + path)
    return env


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist and the wheel, built from a copy of the sources (setuptools writes into the tree it builds)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(REPO / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], cwd=source, env=environment())
    assert sorted(p.name for p in out.iterdir()) == [
        f"briefings-{briefings.__version__}-py3-none-any.whl",
        f"briefings-{briefings.__version__}.tar.gz",
    ]
    return out


@pytest.fixture(scope="module")
def published(tmp_path_factory, dist) -> SimpleNamespace:
    """A desk made by `briefings init`, published by its own GitHub Pages workflow,
    whose steps run here in order in a fresh virtual environment (what
    setup-python gives: a python first on PATH). Its install step gets the built
    wheel instead of requirements.txt: this release is not on the index yet."""
    work = tmp_path_factory.mktemp("runner")
    desk = work / "desk"
    assert run_cli("init", str(desk), "--site-name", "Owner's Briefings").exit_code == 0
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    (wheel,) = dist.glob("*.whl")
    requirements = [line for line in (desk / "requirements.txt").read_text("utf-8").splitlines() if line[:1].isalpha()]
    assert [Requirement(r).specifier.contains(briefings.__version__) for r in requirements] == [True]

    workflow = yaml.safe_load((desk / ".github/workflows/pages.yml").read_text("utf-8"))
    outputs: dict[str, dict[str, str]] = {}
    done, artifact = [], None
    for step in workflow["jobs"]["build"]["steps"]:
        action = step.get("uses", "").split("@")[0]
        if action in ("actions/checkout", "actions/setup-python"):
            pass  # the desk is here, the venv first on PATH
        elif action == "actions/configure-pages":
            outputs[step["id"]] = {"base_url": BASE_URL}
        elif action == "actions/cache":
            assert step["with"]["path"].split() == ["build/", "site/", ".site-spare/"]  # a first run: nothing cached
        elif action == "actions/upload-pages-artifact":
            artifact = desk / step["with"]["path"]
        elif "run" in step:
            script = expand(step["run"], outputs)
            if "-r requirements.txt" in script:
                script = script.replace("-r requirements.txt", shlex.quote(str(wheel)))
            env = environment(venv) | {k: expand(v, outputs) for k, v in (step.get("env") or {}).items()}
            run(["bash", "-e", "-c", script], cwd=desk, env=env)  # GitHub's shell for run: bash -e
        else:
            pytest.fail(f"a step this test cannot play: {step}")
        done.append(action or step["run"])
    assert done.index("actions/configure-pages") < done.index("briefings build")
    return SimpleNamespace(desk=desk, venv=venv, artifact=artifact)


def expand(text: str, outputs: dict[str, dict[str, str]]) -> str:
    """GitHub's ${{ steps.ID.outputs.NAME }}, from the steps played so far; any other expression fails."""

    def value(match: re.Match[str]) -> str:
        found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", match[1])
        if not found or found[2] not in outputs.get(found[1], {}):
            pytest.fail(f"{match[0]}: not an output of a step played before this one")
        return outputs[found[1]][found[2]]

    return EXPRESSION.sub(value, text)


def site_packages(venv: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(run([str(venv / "bin/python"), "-I", "-c", code], env=environment(venv)).stdout.strip())


# --- the desk's GitHub Pages workflow ---------------------------------------------------


@pytest.mark.slow
def test_the_desk_workflow_publishes_a_project_site_under_its_path(published):
    desk, site = published.desk, published.desk / "site"
    assert published.artifact == site and (site / "index.html").is_file()
    assert (site / ".nojekyll").is_file()
    env = environment(published.venv)
    briefings_cli = str(published.venv / "bin/briefings")
    check = run([briefings_cli, "check", "--site", "--base-url", f"{BASE_URL}/"], cwd=desk, env=env)
    assert "resolves under https://owner.github.io/repo/" in check.stdout

    # Built for /repo/: the 404 page (served at any depth) and the sitemap use the path.
    not_found = BeautifulSoup((site / "404.html").read_text("utf-8"), "html.parser")
    styles = [link["href"] for link in not_found.select('link[rel="stylesheet"]')]
    assert "/repo/assets/stylesheets/briefings.css" in styles
    assert all(href.startswith("/repo/") for href in styles)
    assert "<loc>https://owner.github.io/repo/topics/example/</loc>" in (site / "sitemap.xml").read_text("utf-8")
    # The same site checked for another path is broken: the check above did check the path.
    other = subprocess.run(
        [briefings_cli, "check", "--site", "--base-url", "https://owner.github.io/other/"],
        cwd=desk,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert other.returncode == 1 and "/repo/assets/stylesheets/briefings.css" in other.stdout + other.stderr


# --- the installed release --------------------------------------------------------------

RECORD = """\
import json, sys
import jinja2

loaded = {}
get_source = jinja2.FileSystemLoader.get_source

def recording(self, environment, template):
    source, filename, uptodate = get_source(self, environment, template)
    loaded[template] = filename
    return source, filename, uptodate

jinja2.FileSystemLoader.get_source = recording

import briefings
from briefings.cli import main

try:
    main(["build", "--project", sys.argv[1]], prog_name="briefings")
except SystemExit as exc:
    status = exc.code
with open(sys.argv[2], "w", encoding="utf-8") as out:
    json.dump({"briefings": briefings.__file__, "status": status, "loaded": loaded}, out)
"""


@pytest.mark.slow
def test_the_installed_release_draws_a_new_desk_with_the_theme_it_ships(published, tmp_path):
    assert not tmp_path.resolve().is_relative_to(REPO)
    venv, env = published.venv, environment(published.venv)
    installed = site_packages(venv) / "briefings"
    version = run([str(venv / "bin/briefings"), "--version"], cwd=tmp_path, env=env).stdout
    assert version == f"briefings, version {briefings.__version__}\n"

    # The wheel ships every file of the theme.
    theme = installed / "theme"
    ours = theme_files(REPO / "theme")
    assert sorted(theme_files(theme)) == sorted(ours)
    assert all((theme / name).read_bytes() == path.read_bytes() for name, path in ours.items())

    run([str(venv / "bin/briefings"), "init", "desk"], cwd=tmp_path, env=env)
    (tmp_path / "record.py").write_text(RECORD, "utf-8")
    record = [str(venv / "bin/python"), "-I", str(tmp_path / "record.py"), "desk", "record.json"]
    run(record, cwd=tmp_path, env=env)
    built = json.loads((tmp_path / "record.json").read_text("utf-8"))
    assert built["status"] == 0
    assert Path(built["briefings"]) == installed / "__init__.py"

    loaded = {name: Path(filename) for name, filename in built["loaded"].items()}
    assert {"main.html", "home.html", "topic.html", "article.html", "partials/header.html"} <= set(loaded)
    for name, filename in loaded.items():
        assert not filename.resolve().is_relative_to(REPO), f"{name} was read from the repository: {filename}"
        if name in ours:
            assert filename == theme / name
        else:  # Material's and MkDocs' own, installed beside it
            assert filename.is_relative_to(site_packages(venv)), filename
    site = tmp_path / "desk/site"
    for asset in ("assets/stylesheets/briefings.css", "assets/javascripts/briefings-search.js"):
        assert (site / asset).read_bytes() == (theme / asset).read_bytes()
    home = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser")
    assert home.select_one('link[href$="assets/stylesheets/briefings.css"]') is not None

    # An upgrade (here: the installed article.html changed in place) reaches the desk at its next build.
    article = theme / "article.html"
    original = article.read_bytes()
    try:
        article.write_text(original.decode().replace("<header ", '<header data-upgraded="1" ', 1), "utf-8")
        run([str(venv / "bin/briefings"), "build", "--project", "desk"], cwd=tmp_path, env=env)
    finally:
        article.write_bytes(original)
    (page,) = (tmp_path / "desk/site/articles").glob("*/index.html")
    header = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one("header.bf-article-header")
    assert header["data-upgraded"] == "1"


# --- the release itself -----------------------------------------------------------------

RELEASE = REPO / ".github/workflows/release.yml"


@pytest.mark.slow
def test_the_sdist_and_wheel_pass_twine_check_and_the_sdist_holds_the_theme(dist):
    run([sys.executable, "-m", "twine", "check", "--strict", *map(str, sorted(dist.iterdir()))])
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert {f"theme/{name}" for name in theme_files(REPO / "theme")} <= names
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert {f"briefings/theme/{name}" for name in theme_files(REPO / "theme")} <= set(archive.namelist())


@pytest.mark.slow
def test_the_release_workflow_refuses_a_tag_that_is_not_the_version_built(dist, tmp_path):
    steps = yaml.safe_load(RELEASE.read_text("utf-8"))["jobs"]["build"]["steps"]
    (check,) = [s for s in steps if s.get("name") == "Check that the tag is the version built"]
    shutil.copytree(dist, tmp_path / "dist")
    for tag, status in ((f"v{briefings.__version__}", 0), ("v9.9.9", 1), (briefings.__version__, 1)):
        done = subprocess.run(
            ["bash", "-e", "-c", check["run"]],
            cwd=tmp_path,
            env=environment() | {"GITHUB_REF_NAME": tag},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == status, (tag, done.stdout, done.stderr)
        if status:
            assert done.stdout.startswith(f"::error::tag {tag} does not match the version built")


def test_the_release_workflow_builds_checks_and_publishes_with_trusted_publishing():
    workflow = yaml.safe_load(RELEASE.read_text("utf-8"))
    assert workflow[True] == {"push": {"tags": ["v*"]}}  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"] == {"contents": "read"}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    runs = " && ".join(s.get("run", "") for s in build["steps"])
    assert "python -m build" in runs and "twine check --strict dist/*" in runs
    names = [s.get("name") for s in build["steps"]]
    assert names.index("Check that the tag is the version built") < names.index("Check the metadata PyPI shows")
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    assert [s["uses"].split("@")[0] for s in publish["steps"]] == [
        "actions/download-artifact",
        "pypa/gh-action-pypi-publish",
    ]
    assert "password" not in json.dumps(publish)  # no token: PyPI trusts the workflow


def test_the_changelog_starts_with_this_version():
    text = (REPO / "CHANGELOG.md").read_text("utf-8")
    assert text.startswith("# Changelog\n")
    assert "[Keep a Changelog](https://keepachangelog.com/en/1.1.0/)" in text
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", text, re.MULTILINE)
    assert versions == [briefings.__version__, "0.1.0"]
