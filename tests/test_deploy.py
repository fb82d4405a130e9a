"""`briefings deploy`: publish to a gh-pages branch, tested against a local bare repository."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import VALID


def git(cwd, *args) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(site, tmp_path):
    """The desk as a git clone whose origin is a bare repository in tmp."""
    site.article("2024/a.md", VALID)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(site.root, "init", "--quiet")
    git(site.root, "config", "user.name", "Desk Editor")
    git(site.root, "config", "user.email", "desk@example.org")
    (site.root / ".gitignore").write_text("/build/\n/site/\n")
    git(site.root, "add", ".")
    git(site.root, "commit", "--quiet", "-m", "Sample desk")
    git(site.root, "remote", "add", "origin", str(remote))
    return site, remote


def branch_files(remote, branch="gh-pages") -> list[str]:
    return git(remote, "ls-tree", "-r", "--name-only", branch).splitlines()


def test_deploy_pushes_the_built_site_to_gh_pages(repo):
    site, remote = repo
    result = site.run("deploy")
    assert result.exit_code == 0, result.output
    files = branch_files(remote)
    assert {"index.html", ".nojekyll", "404.html", "articles/a/index.html", "search/search_index.json"} <= set(files)
    built = sorted(p.relative_to(site.root / "site").as_posix() for p in (site.root / "site").rglob("*") if p.is_file())
    assert sorted(files) == built  # exactly the site, nothing of the project's own files
    head = git(site.root, "rev-parse", "--short", "HEAD")
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == f"Deploy the briefings site built from {head}"
    assert git(remote, "show", "gh-pages:articles/a/index.html").count("A valid article") >= 1
    match = re.search(r"Deployed (\d+) files to branch gh-pages of remote 'origin' \((.+)\) as commit (\w+)\.", result.stdout)
    assert match and int(match.group(1)) == len(files) and match.group(2) == str(remote)
    assert git(remote, "rev-parse", "--short", "gh-pages") == match.group(3)
    assert git(site.root, "status", "--porcelain") == ""  # the working tree is untouched


def test_a_second_deploy_adds_a_commit_and_replaces_removed_files(repo):
    site, remote = repo
    site.article("2024/b.md", VALID.replace("A valid article", "Second article"))
    assert site.run("deploy").exit_code == 0
    first = git(remote, "rev-parse", "gh-pages")
    assert "articles/b/index.html" in branch_files(remote)
    (site.root / "content/articles/2024/b.md").unlink()
    result = site.run("deploy", "--message", "Evening edition")
    assert result.exit_code == 0, result.output
    assert git(remote, "rev-parse", "gh-pages^") == first  # fast-forward: history kept
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == "Evening edition"
    assert "articles/b/index.html" not in branch_files(remote)


def test_deploy_writes_cname_and_builds_for_a_subpath(repo):
    site, remote = repo
    result = site.run("deploy", "--base-url", "https://desk.github.io/news/", "--cname", "news.example.org")
    assert result.exit_code == 0, result.output
    assert git(remote, "show", "gh-pages:CNAME") == "news.example.org"
    assert "/news/assets/stylesheets/briefings.css" in git(remote, "show", "gh-pages:404.html")


def test_dry_run_builds_but_pushes_and_commits_nothing(repo):
    site, remote = repo
    result = site.run("deploy", "--dry-run", "--force", "-m", "Test run")
    assert result.exit_code == 0, result.output
    count = sum(1 for p in (site.root / "site").rglob("*") if p.is_file())
    assert result.stdout.splitlines()[-1] == (
        f"Dry run: would push {count} files from {site.root / 'site'}/ to branch gh-pages of remote 'origin' "
        f"({remote}) with --force, commit message 'Test run'. Nothing was pushed."
    )
    assert git(remote, "branch", "--list") == ""
    assert git(site.root, "branch", "--list", "gh-pages") == ""


def test_force_replaces_the_branch_with_one_fresh_commit(repo, tmp_path):
    site, remote = repo
    assert site.run("deploy").exit_code == 0
    # Someone pushed an unrelated gh-pages meanwhile: a plain deploy builds on top of it ...
    other = tmp_path / "other"
    git(tmp_path, "clone", "--quiet", str(remote), str(other))
    git(other, "config", "user.name", "X")
    git(other, "config", "user.email", "x@example.org")
    git(other, "checkout", "--quiet", "--orphan", "rewritten", "origin/gh-pages")
    git(other, "commit", "--quiet", "-m", "Rewritten")
    git(other, "push", "--quiet", "--force", "origin", "rewritten:gh-pages")
    assert site.run("deploy").exit_code == 0
    assert git(remote, "log", "--format=%s", "gh-pages").splitlines()[1] == "Rewritten"
    # ... and --force starts the branch afresh.
    result = site.run("deploy", "--force")
    assert result.exit_code == 0, result.output
    assert git(remote, "rev-list", "--count", "gh-pages") == "1"
    assert "index.html" in branch_files(remote)


def test_a_refused_push_is_one_clear_line(repo):
    site, remote = repo
    hook = remote / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'gh-pages is protected here' >&2\nexit 1\n")
    hook.chmod(0o755)
    result = site.run("deploy")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: git push to 'origin' failed: ")
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output


def test_deploy_outside_a_git_repository(site):
    site.article("a.md", VALID)
    result = site.run("deploy", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {site.root} is not in a git repository (expected the project inside a clone of the GitHub "
        "repository to publish to; run git init and git remote add origin URL)\n"
    )
    assert not (site.root / "site").exists()  # checked before building


def test_deploy_to_an_unknown_remote(repo):
    site, _ = repo
    result = site.run("deploy", "--remote", "upstream")
    assert result.exit_code == 1
    assert result.stderr == f"Error: no git remote named 'upstream' in {site.root} (expected one of: origin)\n"
    assert not (site.root / "site").exists()
