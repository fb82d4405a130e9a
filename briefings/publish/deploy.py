"""Publish a built site to a gh-pages branch (GitHub Pages without Actions).

ghp-import (the tool behind `mkdocs gh-deploy`) writes the commit; we check the
repository and remote first so mistakes end in one clear sentence, and push
ourselves so git's refusal can be reported as such.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from briefings.errors import DeployError

BRANCH = "gh-pages"


@dataclass(frozen=True)
class DeployPlan:
    repo: Path  # the git work tree holding the project
    site_dir: Path
    remote: str
    remote_url: str
    branch: str
    files: int  # files the branch will hold
    size: int  # their bytes (the build warns when they are more than GitHub Pages publishes)
    message: str


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise DeployError("git is not installed (expected the git command on PATH)") from None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1].removeprefix("fatal: ").removeprefix("error: ") if lines else "no message from git"


def _git_reason(text: str) -> str:
    """What went wrong, in one line, from git's messages about a remote: its first "fatal:"
    (after which git only adds advice: "…and the repository exists."), else the refused
    ref's reason with what the remote said (a hook's message), else its last line."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    fatal = next((line for line in lines if line.startswith("fatal: ")), None)
    if fatal is not None:
        return fatal.removeprefix("fatal: ")
    refused = next((line for line in lines if line.startswith("! [")), None)
    if refused is not None:
        said = [line.removeprefix("remote:").strip() for line in lines if line.startswith("remote:")]
        said = [line for line in said if line]
        return refused.removeprefix("! ") + (f" (the remote said: {said[0]})" if said else "")
    return _last_line(text)


def _restore(repo: Path, ref: str, commit: str) -> None:
    """Put the local branch back where it was (``commit``; or nowhere) after a failed commit."""
    if commit:
        _git(repo, "update-ref", ref, commit)


def check_repository(project_root: Path, remote: str) -> tuple[Path, str]:
    """The git work tree holding the project and the remote's URL, or a clear error."""
    found = _git(project_root, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise DeployError(
            f"{project_root} is not in a git repository (expected the project inside a clone of the "
            "GitHub repository to publish to; run git init and git remote add origin URL)"
        )
    repo = Path(found.stdout.strip())
    url = _git(repo, "remote", "get-url", remote)
    if url.returncode != 0:
        known = _git(repo, "remote").stdout.split()
        hint = f"one of: {', '.join(known)}" if known else "a remote added with git remote add origin URL"
        raise DeployError(f"no git remote named {remote!r} in {repo} (expected {hint})")
    # ghp-import signs the commit with user.name and user.email as git config gives them (or
    # GIT_COMMITTER_NAME/EMAIL): without them, as " <>".
    for key, variable in (("user.name", "GIT_COMMITTER_NAME"), ("user.email", "GIT_COMMITTER_EMAIL")):
        if not os.environ.get(variable) and not _git(repo, "config", key).stdout.strip():
            raise DeployError(
                f"git has no {key} to sign the gh-pages commit with (expected git config {key} set, "
                f"as for any commit: git config --global {key} ...; nothing was built)"
            )
    return repo, url.stdout.strip()


SHOWN = 3  # changed files named in the refusal


def uncommitted_changes(repo: Path, project_root: Path, outputs: tuple[Path, ...] = ()) -> list[str]:
    """The project's files that are not as the last commit has them: modified,
    staged, deleted or untracked (``git status``), as paths in the repository.
    Files outside the project's folder cannot change the site and are left
    out, and so are ``outputs`` (the build's own folders, even when git does
    not ignore them)."""
    repo = repo.resolve()
    spec = [_pathspec(repo, project_root.resolve())]
    spec += [f":(exclude){_pathspec(repo, out.resolve())}" for out in outputs if _inside(repo, out.resolve())]
    found = _git(repo, "status", "--porcelain", "-z", "--untracked-files=all", "--", *spec)  # files, not folders
    if found.returncode != 0:
        raise DeployError(f"git status failed in {repo}: {_last_line(found.stderr)}")
    entries = found.stdout.split("\0")
    paths, i = [], 0
    while i < len(entries):
        entry = entries[i]
        if len(entry) > 3:
            paths.append(entry[3:])
            if "R" in entry[:2] or "C" in entry[:2]:
                i += 1  # a rename's or copy's original path follows
        i += 1
    return sorted(set(paths))  # a file removed from the index but still there is listed twice


def refuse_uncommitted(changes: list[str]) -> None:
    """One line: how many files, the first few, and the way out."""
    if not changes:
        return
    n = len(changes)
    shown = ", ".join(p if p.isprintable() else repr(p) for p in changes[:SHOWN]) + (", …" if n > SHOWN else "")
    raise DeployError(
        f"{n} file{'s' if n != 1 else ''} of the site {'are' if n != 1 else 'is'} not committed "
        f"({shown}): commit {'them' if n != 1 else 'it'} so the published site matches a commit, or "
        "pass --allow-dirty to publish the work tree as it is"
    )


def _pathspec(repo: Path, path: Path) -> str:
    return path.relative_to(repo).as_posix() if _inside(repo, path) else "."


def _inside(repo: Path, path: Path) -> bool:
    return path == repo or repo in path.parents


def plan(
    project_root: Path, site_dir: Path, *, remote: str = "origin", message: str | None = None, dirty: bool = False
) -> DeployPlan:
    """Everything a deploy will do, checked, without changing anything.
    ``dirty``: the site was built from uncommitted changes, and the commit message says so."""
    repo, url = check_repository(project_root, remote)
    if not (site_dir / "index.html").is_file():
        raise DeployError(f"{site_dir} holds no built site (expected index.html; run briefings build)")
    head = _git(repo, "rev-parse", "--short", "HEAD")
    source = head.stdout.strip() if head.returncode == 0 else "an uncommitted tree"
    if message is None:
        message = f"Deploy the briefings site built from {source}" + (" with uncommitted changes" if dirty else "")
    elif dirty:  # a message of one's own still says what was published
        message += f" (built from {source} with uncommitted changes)"
    sizes = [p.stat().st_size for p in site_dir.rglob("*") if p.is_file()]
    return DeployPlan(
        repo=repo,
        site_dir=site_dir,
        remote=remote,
        remote_url=url,
        branch=BRANCH,
        files=len(sizes),
        size=sum(sizes),
        message=message,
    )


def publish(deploy: DeployPlan, *, force: bool = False) -> str:
    """Commit the site as the whole content of the branch, push it; return the commit id.

    ``force`` replaces the remote branch with one fresh commit (its history is dropped)."""
    from ghp_import import GhpError, ghp_import

    # Build on what the remote already has, so a plain (non-force) push fast-forwards; a remote
    # that cannot be reached is said before anything is committed.
    fetched = _git(
        deploy.repo,
        "fetch",
        "--quiet",
        deploy.remote,
        f"+refs/heads/{deploy.branch}:refs/remotes/{deploy.remote}/{deploy.branch}",
    )
    if fetched.returncode != 0 and "couldn't find remote ref" not in fetched.stderr:  # (none yet: a first deploy)
        raise DeployError(
            f"git fetch from {deploy.remote!r} failed: {_git_reason(fetched.stderr)} (nothing was pushed)"
        )
    ref = f"refs/heads/{deploy.branch}"
    before = _git(deploy.repo, "rev-parse", "--verify", "--quiet", ref).stdout.strip()
    if force and before:
        # ghp-import drops the local branch's history only when the remote has the branch: a
        # remote without it would get every earlier deploy back. Put back if nothing is committed.
        _git(deploy.repo, "update-ref", "-d", ref)
    try:
        with contextlib.chdir(deploy.repo):  # ghp-import runs git in the current folder
            ghp_import(
                str(deploy.site_dir),
                mesg=deploy.message,
                remote=deploy.remote,
                branch=deploy.branch,
                push=False,
                nojekyll=True,
                no_history=force,
            )
    except GhpError as exc:
        _restore(deploy.repo, ref, before)
        raise DeployError(f"could not commit the site to {deploy.branch}: {_last_line(str(exc))}") from None
    after = _git(deploy.repo, "rev-parse", "--verify", "--quiet", ref).stdout.strip()
    if not after or after == before:  # ghp-import only prints when git fast-import fails
        _restore(deploy.repo, ref, before)
        raise DeployError(
            f"git fast-import could not commit the site to {deploy.branch} "
            "(see git's message above; nothing was pushed)"
        )
    args = ["push", deploy.remote, f"{ref}:{ref}"]
    pushed = _git(deploy.repo, *args, *(["--force"] if force else []))
    if pushed.returncode != 0:
        behind = "[rejected]" in pushed.stderr and (
            "non-fast-forward" in pushed.stderr or "fetch first" in pushed.stderr
        )
        hint = "; --force replaces the remote branch" if behind and not force else ""
        raise DeployError(f"git push to {deploy.remote!r} failed: {_git_reason(pushed.stderr)}{hint}")
    return _git(deploy.repo, "rev-parse", "--short", f"refs/heads/{deploy.branch}").stdout.strip()
