"""`briefings deploy`: publish to a gh-pages branch, tested against a local bare repository."""

from __future__ import annotations

import re
import subprocess
import sys

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


@pytest.mark.slow
def test_deploy_pushes_the_built_site_to_gh_pages(repo):
    site, remote = repo
    result = site.run("deploy")
    assert result.exit_code == 0, result.output
    files = branch_files(remote)
    assert {"index.html", ".nojekyll", "404.html", "articles/a/index.html", "pagefind/pagefind.js"} <= set(files)
    built = sorted(p.relative_to(site.root / "site").as_posix() for p in (site.root / "site").rglob("*") if p.is_file())
    assert sorted(files) == built  # exactly the site, nothing of the project's own files
    head = git(site.root, "rev-parse", "--short", "HEAD")
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == f"Deploy the briefings site built from {head}"
    assert git(remote, "show", "gh-pages:articles/a/index.html").count("A valid article") >= 1
    match = re.search(
        r"Deployed (\d+) files \(\d+\.\d MB\) to branch gh-pages of remote 'origin' \((.+)\) as commit (\w+)\.",
        result.stdout,
    )
    assert match and int(match.group(1)) == len(files) and match.group(2) == str(remote)
    assert git(remote, "rev-parse", "--short", "gh-pages") == match.group(3)
    assert git(site.root, "status", "--porcelain") == ""  # the working tree is untouched


def commit_all(site, message="Edit") -> None:
    git(site.root, "add", "--all")
    git(site.root, "commit", "--quiet", "-m", message)


@pytest.mark.slow
def test_a_second_deploy_adds_a_commit_and_replaces_removed_files(repo):
    site, remote = repo
    site.article("2024/b.md", VALID.replace("A valid article", "Second article"))
    commit_all(site)
    assert site.run("deploy").exit_code == 0
    first = git(remote, "rev-parse", "gh-pages")
    assert "articles/b/index.html" in branch_files(remote)
    (site.root / "content/articles/2024/b.md").unlink()
    commit_all(site)
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
    files = [p for p in (site.root / "site").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    assert result.stdout.splitlines()[-1] == (
        f"Dry run: would push {len(files)} files ({size / 10**6:.1f} MB) from {site.root / 'site'}/ to branch "
        f"gh-pages of remote 'origin' ({remote}) with --force, commit message 'Test run'. Nothing was pushed."
    )
    assert "GitHub Pages publishes" not in result.output  # a few MB: far from its limit
    assert git(remote, "branch", "--list") == ""
    assert git(site.root, "branch", "--list", "gh-pages") == ""


def test_deploy_warns_of_a_site_bigger_than_github_pages_publishes(repo, monkeypatch):
    """GitHub Pages publishes sites of at most 1 GB: past it, deploy's build says so, once, and
    deploy goes on (the branch may be served by another host). The limit is lowered here to
    below the sample's size."""
    from briefings.engine import hosting

    site, _ = repo
    monkeypatch.setattr(hosting, "PAGES_LIMIT", 10**5)
    result = site.run("deploy", "--dry-run")
    assert result.exit_code == 0, result.output
    files = [p for p in (site.root / "site").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    assert size > 10**5
    warning = (
        f"Warning: the site is {size / 10**6:.1f} MB, and GitHub Pages publishes sites of at most 1 GB: "
        "it may refuse this one (Hosting, in the docs, says what a desk can do)\n"
    )
    assert result.stderr.count(warning) == 1
    assert result.stdout.splitlines()[-1].startswith(f"Dry run: would push {len(files)} files ({size / 10**6:.1f} MB)")


@pytest.mark.slow
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
    # The build's own warning (no site_url: feeds_warning) comes first, then the one line.
    assert result.stderr.startswith("Warning: feeds: no site address")
    assert result.stderr.splitlines()[1] == (
        "Error: git push to 'origin' failed: [remote rejected] gh-pages -> gh-pages (pre-receive hook declined) "
        "(the remote said: gh-pages is protected here)"
    )  # what the remote said; no --force advice, which could not help
    assert len(result.stderr.splitlines()) == 2
    assert "Traceback" not in result.output


def test_an_unreachable_remote_is_said_before_anything_is_committed(repo, tmp_path):
    site, _ = repo
    git(site.root, "remote", "add", "gone", str(tmp_path / "nowhere.git"))
    result = site.run("deploy", "--remote", "gone")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: git fetch from 'gone' failed: '{tmp_path / 'nowhere.git'}' does not appear to be a git repository "
        "(nothing was pushed)"
    )  # git's first reason, not its last line of advice ("and the repository exists.")
    assert git(site.root, "branch", "--list", "gh-pages") == ""  # no local commit left behind


@pytest.mark.slow
def test_force_drops_the_history_even_where_the_remote_has_no_branch(repo):
    """Someone deleted gh-pages on the remote to take down what was published: --force must not
    push the earlier deploys back from the local branch."""
    site, remote = repo
    for title in ("First", "Second"):
        site.article("2024/a.md", VALID.replace("A valid article", title))
        commit_all(site)
        assert site.run("deploy").exit_code == 0
    git(site.root, "push", "--quiet", "origin", "--delete", "gh-pages")
    result = site.run("deploy", "--force")
    assert result.exit_code == 0, result.output
    assert git(remote, "rev-list", "--count", "gh-pages") == "1"
    assert git(site.root, "rev-list", "--count", "gh-pages") == "1"


@pytest.mark.slow
def test_two_deploys_at_once_take_turns(repo):
    """The second waits for the first's push (not only its build), then builds on it: both
    published, one after the other, none told to --force."""
    site, remote = repo
    command = [sys.executable, "-m", "briefings", "deploy", "--project", str(site.root)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    waited = [err for _, err in outputs if "Waiting for another deploy of this project" in err]
    assert len(waited) == 1
    assert git(remote, "rev-list", "--count", "gh-pages") == "2"


def test_deploy_without_a_git_identity_is_refused_before_building(repo, tmp_path, monkeypatch):
    """ghp-import would sign the commit " <>"; git itself refuses to commit without a name."""
    site, remote = repo
    git(site.root, "config", "--unset", "user.name")
    for variable in ("GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.gitconfig
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    result = site.run("deploy")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: git has no user.name to sign the gh-pages commit with (expected git config user.name set, "
        "as for any commit: git config --global user.name ...; nothing was built)\n"
    )
    assert not (site.root / "site").exists() and git(remote, "branch", "--list") == ""


def test_an_empty_commit_message_is_a_usage_error(repo):
    site, remote = repo
    result = site.run("deploy", "-m", " ")
    assert result.exit_code == 2 and "is empty (expected a commit message" in result.output
    assert git(remote, "branch", "--list") == ""


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


# --- only what is committed is published ---------------------------------------------


def test_uncommitted_changes_are_refused_before_building(repo):
    site, remote = repo
    site.article("2024/a.md", VALID.replace("A valid article", "Edited, not committed"))
    site.article("2024/b.md", VALID.replace("A valid article", "New, untracked"))
    result = site.run("deploy")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 2 files of the site are not committed (content/articles/2024/a.md, "
        "content/articles/2024/b.md): commit them so the published site matches a commit, or "
        "pass --allow-dirty to publish the work tree as it is\n"
    )
    assert not (site.root / "site").exists()  # refused before building
    assert git(remote, "branch", "--list") == ""
    dry = site.run("deploy", "--dry-run")  # a dry run says what a deploy would do: refuse
    assert dry.exit_code == 1 and dry.stderr == result.stderr


def test_the_refusal_names_the_first_few_files(repo):
    site, _ = repo
    (site.root / "mkdocs.yml").write_text((site.root / "mkdocs.yml").read_text("utf-8") + "# edited\n", "utf-8")
    git(site.root, "add", "mkdocs.yml")  # staged counts too
    (site.root / "overrides/home.html").write_text("<!-- a new override -->\n", "utf-8")  # untracked
    for name in ("c", "d"):
        site.article(f"2024/{name}.md", VALID)
    result = site.run("deploy")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: 4 files of the site are not committed (content/articles/2024/c.md, "
        "content/articles/2024/d.md, mkdocs.yml, …): commit them"
    )


def test_the_refusal_counts_files_once_and_never_the_builds_own_folders(repo):
    """The spare (the last site, kept beside the site by an edit's build) is the build's like
    site/ and build/, ignored or not; a new folder counts its files; a file taken out of the
    index but still there is one file."""
    site, _ = repo
    (site.root / ".site-spare").mkdir()
    (site.root / ".site-spare/index.html").write_text("the last site", "utf-8")
    (site.root / "notes").mkdir()
    for name in ("a.md", "b.md"):
        (site.root / "notes" / name).write_text("mine", "utf-8")
    git(site.root, "rm", "--cached", "--quiet", "content/articles/2024/a.md")
    result = site.run("deploy")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: 3 files of the site are not committed (content/articles/2024/a.md, notes/a.md, notes/b.md): "
    )


@pytest.mark.slow
def test_allow_dirty_publishes_and_says_so_in_the_commit_message(repo):
    site, remote = repo
    site.article("2024/a.md", VALID.replace("A valid article", "Edited, not committed"))
    head = git(site.root, "rev-parse", "--short", "HEAD")
    result = site.run("deploy", "--allow-dirty")
    assert result.exit_code == 0, result.output
    assert "Warning: publishing 1 uncommitted file (--allow-dirty); the commit message says so." in result.stderr
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == (
        f"Deploy the briefings site built from {head} with uncommitted changes"
    )
    assert "Edited, not committed" in git(remote, "show", "gh-pages:articles/a/index.html")
    result = site.run("deploy", "--allow-dirty", "-m", "Evening edition")
    assert result.exit_code == 0, result.output
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == (
        f"Evening edition (built from {head} with uncommitted changes)"
    )
    commit_all(site)
    assert site.run("deploy", "-m", "Clean").exit_code == 0
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == "Clean"


def test_the_build_output_is_not_a_change_even_when_git_does_not_ignore_it(repo):
    site, remote = repo
    (site.root / ".gitignore").unlink()
    commit_all(site, "No .gitignore")
    assert site.run("deploy").exit_code == 0
    assert (site.root / "site/index.html").is_file() and (site.root / "build").is_dir()
    result = site.run("deploy", "-m", "Again")
    assert result.exit_code == 0, result.output
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == "Again"


def test_changes_outside_the_project_folder_do_not_count(tmp_path):
    from conftest import Site

    outer = tmp_path / "repository"
    site = Site(outer / "desk")
    site.article("2024/a.md", VALID)
    git(tmp_path, "init", "--quiet", "--bare", str(tmp_path / "remote.git"))
    git(outer, "init", "--quiet")
    git(outer, "config", "user.name", "Desk Editor")
    git(outer, "config", "user.email", "desk@example.org")
    git(outer, "add", ".")
    git(outer, "commit", "--quiet", "-m", "Desk in a folder")
    git(outer, "remote", "add", "origin", str(tmp_path / "remote.git"))
    (outer / "notes.txt").write_text("Not part of the site.\n")
    (outer / "README.md").write_text("Edited.\n")
    result = site.run("deploy")
    assert result.exit_code == 0, result.output
    site.article("2024/b.md", VALID)
    result = site.run("deploy")
    assert result.exit_code == 1
    assert "1 file of the site is not committed (desk/content/articles/2024/b.md): commit it" in result.stderr


def test_a_base_url_that_could_break_out_of_an_attribute_is_refused_before_building(repo):
    site, remote = repo
    result = site.run("deploy", "--base-url", "https://desk.github.io/news/'><script>alert(1)</script>")
    assert result.exit_code == 2  # a usage error
    assert result.stderr.startswith(
        'Error: base URL "https://desk.github.io/news/\'><script>alert(1)</script>" '
        'contains "\'" (expected an http(s) address'
    )
    assert len(result.stderr.splitlines()) == 1
    assert not (site.root / "site").exists() and git(remote, "branch", "--list") == ""
