"""The GitHub Pages workflow: valid YAML, the official actions, and the README's build command."""

from __future__ import annotations

import re

import yaml
from conftest import REPO

WORKFLOW = REPO / ".github/workflows/pages.yml"


def load():
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def readme_build_command() -> str:
    readme = (REPO / "README.md").read_text("utf-8")
    return re.search(r"<!-- build-command -->\n```sh\n(.+?)\n```", readme, re.S).group(1).strip()


def uses(step) -> str:
    return step.get("uses", "").split("@")[0]


def test_runs_on_push_to_main_and_by_hand():
    triggers = load()[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers


def test_permissions_allow_pages_deployment():
    permissions = load()["permissions"]
    assert permissions["pages"] == "write" and permissions["id-token"] == "write"
    assert permissions.get("contents") == "read"


def test_build_job_installs_builds_and_uploads_the_site():
    steps = load()["jobs"]["build"]["steps"]
    names = [uses(s) for s in steps]
    assert (
        names.index("actions/checkout")
        < names.index("actions/configure-pages")
        < names.index("actions/upload-pages-artifact")
    )
    build = next(s for s in steps if "briefings build" in s.get("run", ""))
    assert build["run"].strip() == readme_build_command()
    assert steps.index(build) < names.index("actions/upload-pages-artifact")
    # The Pages address comes first and reaches `briefings build` (as BRIEFINGS_BASE_URL), so
    # project sites work under /repo/.
    pages = next(s for s in steps if uses(s) == "actions/configure-pages")
    assert steps.index(pages) < steps.index(build)
    assert build["env"]["BRIEFINGS_BASE_URL"] == "${{ steps." + pages["id"] + ".outputs.base_url }}"
    upload = next(s for s in steps if uses(s) == "actions/upload-pages-artifact")
    assert upload["with"]["path"].rstrip("/") == "site"


def test_deploy_job_uses_the_github_pages_environment():
    job = load()["jobs"]["deploy"]
    assert job["needs"] == "build"
    assert job["environment"]["name"] == "github-pages"
    deploy = next(s for s in job["steps"] if uses(s) == "actions/deploy-pages")
    assert job["environment"]["url"] == "${{ steps." + deploy["id"] + ".outputs.page_url }}"


def test_every_action_is_pinned_to_a_version():
    for job in load()["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]


def test_setup_python_caches_pip_downloads():
    setup = next(s for s in load()["jobs"]["build"]["steps"] if uses(s) == "actions/setup-python")
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "pyproject.toml"  # the sample has no requirements.txt


def test_the_build_folder_and_site_of_the_last_run_are_restored_before_the_build():
    steps = load()["jobs"]["build"]["steps"]
    cache = next(s for s in steps if uses(s) == "actions/cache")
    build = next(s for s in steps if "briefings build" in s.get("run", ""))
    assert steps.index(cache) < steps.index(build)
    given = cache["with"]
    # One entry: the three always from the same run.
    assert given["path"].split() == ["build/", "site/", ".site-spare/"]
    assert "${{ github.sha }}" in given["key"] and given["key"].startswith(given["restore-keys"])
    # This repository installs briefings from the checkout, whose version does not change with
    # each commit: a cache made by other code is not restored.
    assert "hashFiles('pyproject.toml', 'briefings/**', 'theme/**')" in given["restore-keys"]
