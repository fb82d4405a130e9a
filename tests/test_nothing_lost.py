"""Nothing lost, ever: a build replaces only a site folder it owns, swaps the new
site in with no instant without one, runs one at a time, and a preview never
shares its pages (drafts) with a build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import VALID, Site, tree_hash

from briefings.engine import sitefolder
from briefings.lock import WorkLock

MARKER = sitefolder.MARKER


def built(site: Site, *args: str):
    result = site.run("build", *args)
    assert result.exit_code == 0, result.output
    return result


def refused(site: Site, *args: str) -> str:
    """Run a build that must be refused: one line, exit 1, no traceback; the line."""
    result = site.run("build", *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- 1. a site folder the tool owns -------------------------------------------


def test_a_built_site_carries_the_marker(site):
    site.article("a.md", VALID)
    built(site)
    assert (site.root / "site" / MARKER).read_text("utf-8") == sitefolder.MARKER_TEXT


def test_refuses_a_folder_holding_a_users_files(site, tmp_path):
    """A user's folder given as --site-dir is never emptied."""
    site.article("a.md", VALID)
    mine = tmp_path / "my-documents"
    (mine / "letters").mkdir(parents=True)
    (mine / "letters" / "draft.txt").write_text("my own words", "utf-8")
    before = tree_hash(mine)
    line = refused(site, "--site-dir", str(mine))
    assert line == (
        f"Error: site_dir {mine} holds files briefings did not make, and a build replaces the whole "
        "folder (expected an empty folder, or one briefings built, such as site/; move those files, "
        "or pass another --site-dir)"
    )
    assert tree_hash(mine) == before


def test_refuses_site_dir_from_mkdocs_yml_holding_other_files(site):
    site.article("a.md", VALID)
    (site.root / "public").mkdir()
    (site.root / "public" / "keep.html").write_text("<p>mine</p>", "utf-8")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_dir: site", "site_dir: public"), "utf-8")
    assert refused(site).startswith(f"Error: site_dir {site.root / 'public'} holds files briefings did not make")
    assert (site.root / "public" / "keep.html").read_text("utf-8") == "<p>mine</p>"


@pytest.mark.parametrize(
    "folder, name",
    [
        ("theme", "the theme/ folder"),
        (".git", "the .git folder"),
        ("overrides", "the overrides/ folder"),
        ("build", "the build/ folder"),
        ("content", "the content/ folder"),
    ],
)
def test_refuses_the_projects_own_folders(site, folder, name):
    site.article("a.md", VALID)
    (site.root / folder).mkdir(exist_ok=True)
    (site.root / folder / "keep").write_text("kept", "utf-8")
    before = tree_hash(site.root)
    line = refused(site, "--site-dir", str(site.root / folder))
    assert line == (
        f"Error: site_dir {site.root / folder} is {name} or contains it "
        "(expected an empty folder, or one briefings built, such as site/)"
    )
    assert tree_hash(site.root) == before


@pytest.mark.parametrize("inner", ["content/new-site", "theme/site", ".git/site", "build/site"])
def test_refuses_a_folder_inside_the_projects_folders(site, inner):
    site.article("a.md", VALID)
    (site.root / ".git").mkdir()
    assert " is inside the " in refused(site, "--site-dir", str(site.root / inner))
    assert not (site.root / inner).exists()


def test_refuses_the_project_folder_and_its_parents(site):
    site.article("a.md", VALID)
    for folder in (site.root, site.root.parent):
        assert refused(site, "--site-dir", str(folder)) == (
            f"Error: site_dir {folder} is the project folder or contains it "
            "(expected an empty folder, or one briefings built, such as site/)"
        )


def test_a_content_folder_linked_into_the_site_folder_is_found(site, tmp_path):
    """The guard compares resolved paths: content/ a symlink into the site folder is refused."""
    elsewhere = tmp_path / "www"
    elsewhere.mkdir()
    real_content = elsewhere / "content"
    (site.root / "content").rename(real_content)
    (site.root / "content").symlink_to(real_content)
    site.article("a.md", VALID)
    (elsewhere / MARKER).write_text(sitefolder.MARKER_TEXT, "utf-8")  # even a folder that looks like a site
    before = tree_hash(real_content)
    assert refused(site, "--site-dir", str(elsewhere)) == (
        f"Error: site_dir {elsewhere} is the content/ folder or contains it "
        "(expected an empty folder, or one briefings built, such as site/)"
    )
    assert tree_hash(real_content) == before


def test_a_site_dir_that_is_a_file_or_under_one(site, tmp_path):
    site.article("a.md", VALID)
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", "utf-8")
    result = site.run("build", "--site-dir", str(a_file))  # Click itself refuses a file for --site-dir
    assert result.exit_code == 2 and f"Directory '{a_file}' is a file." in result.stderr
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_dir: site", f"site_dir: {a_file}"), "utf-8")
    assert refused(site) == (
        f"Error: site_dir {a_file} is a file, not a folder "
        "(expected an empty folder, or one briefings built, such as site/)"
    )
    under = a_file / "site"
    assert refused(site, "--site-dir", str(under)) == (
        f"Error: site_dir {under} cannot be made: {a_file} is a file, not a folder"
    )
    assert a_file.read_text("utf-8") == "mine"


def test_a_site_dir_that_cannot_be_created(site):
    site.article("a.md", VALID)
    line = refused(site, "--site-dir", "/proc/briefings-site")
    assert line.startswith("Error: cannot make the site folder /proc/briefings-site: ")


@pytest.mark.slow
def test_an_empty_folder_and_an_owned_one_are_accepted(site, tmp_path):
    site.article("a.md", VALID)
    empty = tmp_path / "empty"
    empty.mkdir()
    built(site, "--site-dir", str(empty))
    assert (empty / "index.html").is_file() and (empty / MARKER).is_file()
    site.article("b.md", VALID.replace("A valid article", "Another").replace("2024-01-13", "2024-01-14"))
    built(site, "--site-dir", str(empty))  # holds the marker now
    assert (empty / "articles/b/index.html").is_file()


@pytest.mark.slow
def test_a_site_built_before_the_marker_is_still_ours(site):
    """Sites built by earlier versions have no marker; the last build's record proves them ours."""
    site.article("a.md", VALID)
    built(site)
    (site.root / "site" / MARKER).unlink()
    built(site, "--full")
    assert (site.root / "site" / MARKER).is_file()
    (site.root / "site" / MARKER).unlink()
    (site.root / "build" / "cache" / "site.json").unlink()  # no record either: not provably ours
    assert "holds files briefings did not make" in refused(site)


def test_a_marker_that_is_a_symlink_proves_nothing(site, tmp_path):
    site.article("a.md", VALID)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "precious.txt").write_text("mine", "utf-8")
    (folder / MARKER).symlink_to(folder / "precious.txt")
    assert "holds files briefings did not make" in refused(site, "--site-dir", str(folder))
    assert (folder / "precious.txt").read_text("utf-8") == "mine"


# --- 2. a swap with no gap -----------------------------------------------------

# Runs one build in a child process and kills it (SIGKILL, no clean-up) just
# before its N-th call of a swap primitive; N = 0 counts the calls instead.
KILLER = textwrap.dedent("""
    import atexit, os, signal, sys
    from briefings.engine import sitefolder
    from briefings.cli import main

    mode, step, project = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    calls = []

    def stopping(name, call):
        def wrapped(*args, **kwargs):
            calls.append(name)
            if len(calls) == step:
                os.kill(os.getpid(), signal.SIGKILL)
            return call(*args, **kwargs)
        return wrapped

    if mode == "fallback":
        sitefolder.exchange_supported = lambda: False
    for name in ("_rename", "_exchange", "_remove_tree"):
        setattr(sitefolder, name, stopping(name, getattr(sitefolder, name)))
    if step == 0:
        atexit.register(lambda: print("CALLS", " ".join(calls), file=sys.stderr))
    main(["build", "--project", project, "--full"])
""")


def run_killed(site: Site, mode: str, step: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", KILLER, mode, str(step), str(site.root)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def swap_calls(site: Site, mode: str) -> list[str]:
    done = run_killed(site, mode, 0)
    assert done.returncode == 0, done.stderr
    return next(line.split()[1:] for line in done.stderr.splitlines() if line.startswith("CALLS"))


@pytest.mark.slow
@pytest.mark.skipif(not sitefolder.exchange_supported(), reason="needs renameat2 or renamex_np")
def test_exchange_is_used_where_the_system_has_it(site):
    site.article("a.md", VALID)
    built(site)
    # The previous site is not deleted: made a copy of the new one, it is kept as the spare.
    assert swap_calls(site, "exchange") == ["_exchange", "_rename"]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["exchange", "fallback"])
def test_a_build_killed_at_every_step_of_the_swap_loses_nothing(site, mode):
    if mode == "exchange" and not sitefolder.exchange_supported():
        pytest.skip("this system cannot exchange two folders atomically")
    site.article("a.md", VALID)
    built(site)
    built(site, "--full")  # as before each killed build below: the site before kept as the spare
    old = tree_hash(site.root / "site")
    site.article("b.md", VALID.replace("A valid article", "A second article").replace("2024-01-13", "2024-01-20"))
    calls = swap_calls(site, mode)  # builds the new site once: its hash is the new one
    new = tree_hash(site.root / "site")
    assert new != old
    for step in range(1, len(calls) + 1):
        (site.root / "content/articles/b.md").unlink()
        built(site, "--full")  # back to the old site
        assert tree_hash(site.root / "site") == old
        site.article("b.md", VALID.replace("A valid article", "A second article").replace("2024-01-13", "2024-01-20"))

        done = run_killed(site, mode, step)
        assert done.returncode == -signal.SIGKILL, (step, done.stderr)
        site_dir = site.root / "site"
        if site_dir.exists():
            assert tree_hash(site_dir) in (old, new), f"killed before {calls[step - 1]}: a half site"
        else:
            # Only the two-rename fallback has this instant: the old site waits in the staging folder.
            # (The first rename moved it there; a spare of the build before may be deleted first.)
            assert mode == "fallback" and calls[step - 1] == "_rename" and calls[: step - 1].count("_rename") == 1
            kept = [p / sitefolder.OLD_SITE for p in sitefolder.leftovers(site_dir)]
            assert [tree_hash(p) for p in kept] == [old]
        result = site.run("build")
        assert result.exit_code == 0, result.output
        assert tree_hash(site_dir) == new
        assert not sitefolder.leftovers(site_dir), "the staging folder is cleared"


# A new day's build writes the day into the spare's pages in place (incremental.redate_pages),
# killed on its N-th page.
REDATE_KILLER = textwrap.dedent("""
    import os, signal, sys
    from briefings.engine import incremental
    from briefings.cli import main

    step, project, calls = int(sys.argv[1]), sys.argv[2], []
    overwrite = incremental.overwrite_bytes

    def stopping(*args):
        calls.append(args[0])
        if len(calls) == step:
            os.kill(os.getpid(), signal.SIGKILL)
        return overwrite(*args)

    incremental.overwrite_bytes = stopping
    main(["build", "--project", project])
""")


@pytest.mark.slow
def test_a_build_killed_while_writing_a_new_day_into_pages_loses_nothing(site):
    """The pages written in place are the spare's alone: killed halfway, the published site
    is whole and unchanged, and the next build makes the site a full build makes."""
    site.article("a.md", VALID)
    built(site)
    site.article("b.md", VALID.replace("A valid article", "A second article").replace("2024-01-13", "2024-01-20"))
    built(site)  # a new day: the spare is the site before, each page its own file
    old = tree_hash(site.root / "site")
    site.article("c.md", VALID.replace("A valid article", "A third article").replace("2024-01-13", "2024-01-21"))
    command = [sys.executable, "-c", REDATE_KILLER, "3", str(site.root)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr  # it got to the third page written in place
    assert tree_hash(site.root / "site") == old
    built(site)
    new = tree_hash(site.root / "site")
    built(site, "--full")
    assert tree_hash(site.root / "site") == new != old
    assert not sitefolder.leftovers(site.root / "site")


# After a full build, the previous site's own pages are written over with the new ones
# (linktree.refresh_copy) to make it the spare; killed on its N-th page.
SPARE_KILLER = REDATE_KILLER.replace("incremental", "linktree").replace("project])", 'project, "--full"])')


@pytest.mark.slow
def test_a_full_build_killed_while_making_the_spare_loses_nothing(site):
    """The spare is made after the new site is published: killed while its pages are written
    over, the site is the new one, whole, and the next builds (a new day's, written into the
    spare's pages) make what a full build makes."""
    site.article("a.md", VALID)
    built(site)
    site.settings(search="material")  # every page differs from the site before: all written over
    command = [sys.executable, "-c", SPARE_KILLER, "3", str(site.root)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == -signal.SIGKILL, done.stderr  # it got to the third page written over
    new = tree_hash(site.root / "site")
    built(site, "--full")
    assert tree_hash(site.root / "site") == new  # what was published was the whole new site
    site.article("b.md", VALID.replace("A valid article", "A second article").replace("2024-01-13", "2024-01-20"))
    built(site)  # a new day, from the spare
    after = tree_hash(site.root / "site")
    built(site, "--full")
    assert tree_hash(site.root / "site") == after
    assert not sitefolder.leftovers(site.root / "site")


@pytest.mark.slow
def test_the_old_copy_is_put_back_not_deleted(site):
    """The fallback killed between its renames: builds that fail later keep, then restore, the only good copy."""
    site.article("a.md", VALID)
    built(site)
    good = tree_hash(site.root / "site")
    assert run_killed(site, "fallback", 2).returncode == -signal.SIGKILL
    assert not (site.root / "site").exists()

    def kept() -> list[str]:
        return [tree_hash(p / sitefolder.OLD_SITE) for p in sitefolder.leftovers(site.root / "site")]

    site.article("bad.md", VALID.replace("2024-01-13", "2024-02-30"))  # fails in validation, before the site stage
    assert site.run("build").exit_code == 1
    assert kept() == [good]
    site.article("bad.md", VALID.replace("A valid article", "Linking"), body="See [x](../../nowhere/).\n")
    assert site.run("build").exit_code == 1  # fails after the site stage began: the copy is back in place
    assert tree_hash(site.root / "site") == good
    assert kept() == []
    site.article("bad.md", VALID.replace("A valid article", "Fixed").replace("2024-01-13", "2024-01-15"))
    built(site)
    assert (site.root / "site/articles/bad/index.html").is_file()


def test_recover_puts_the_only_good_copy_back(tmp_path):
    target = tmp_path / "site"
    staging = sitefolder.stage(target)
    (staging.folder / "old").mkdir()
    (staging.folder / "old" / MARKER).write_text(sitefolder.MARKER_TEXT, "utf-8")
    (staging.folder / "old" / "index.html").write_text("good", "utf-8")
    os.rename(staging.folder, staging.folder.with_name(".site-build-999999999-x"))  # its process is gone
    note = sitefolder.recover(target)
    assert note and note.startswith(f"restored the last good site into {target}")
    assert (target / "index.html").read_text("utf-8") == "good"
    assert not sitefolder.leftovers(target)


def test_leftovers_without_the_staging_marker_are_never_deleted(tmp_path):
    target = tmp_path / "site"
    theirs = tmp_path / ".site-build-999999999-mine"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("not ours", "utf-8")
    sitefolder.recover(target)
    assert (theirs / "notes.txt").read_text("utf-8") == "not ours"


def test_a_staging_folder_of_a_running_build_is_left_alone(tmp_path):
    target = tmp_path / "site"
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        folder = tmp_path / f".site-build-{other.pid}-abc"
        folder.mkdir()
        (folder / sitefolder.STAGING_MARKER).write_text("x", "utf-8")
        sitefolder.recover(target)
        assert folder.is_dir()
    finally:
        other.kill()
        other.wait()
    sitefolder.recover(target)
    assert not folder.exists()


@pytest.mark.slow
def test_a_full_disk_leaves_the_last_good_site(site):
    """Writing the site fails (here: a file-size limit, as a full disk would): one line, old site whole."""
    site.article("a.md", VALID)
    built(site)
    good = tree_hash(site.root / "site")
    site.article("b.md", VALID.replace("A valid article", "Another").replace("2024-01-13", "2024-01-14"))

    def limit() -> None:  # in the child: files over 16 KB cannot be written (EFBIG, like ENOSPC)
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16_000, 16_000))

    done = subprocess.run(
        [sys.executable, "-m", "briefings", "build", "--project", str(site.root), "--full"],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("Error: ") and "File too large" in done.stderr
    assert tree_hash(site.root / "site") == good
    assert not sitefolder.leftovers(site.root / "site")
    built(site)


# --- 3. one build at a time ----------------------------------------------------


def start_build(site: Site, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "briefings", "build", "--project", str(site.root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_a_second_build_waits_for_the_first(site):
    site.article("a.md", VALID)
    with WorkLock(site.root / "build"):  # this test process is "the other build"
        proc = start_build(site)
        line = proc.stderr.readline()
        assert line == f"Waiting for another build of this project (PID {os.getpid()}) to finish...\n"
        time.sleep(1)
        assert proc.poll() is None and not (site.root / "site").exists()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert out.startswith("Built site/") or "Built " in out
    assert (site.root / "site/index.html").is_file()


def test_a_file_where_the_build_folder_goes_is_named_and_kept(site):
    site.article("a.md", VALID)
    (site.root / "build").write_text("the curator's notes\n", "utf-8")
    result = site.run("build")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr == (
        f"Error: {site.root / 'build'} is a file, not a folder (expected the folder where briefings keeps its "
        "work: move or rename that file)\n"
    )
    assert (site.root / "build").read_text("utf-8") == "the curator's notes\n"


def test_a_busy_lock_can_refuse_instead(site):
    from briefings.lock import BuildBusy

    busy = rf"another build of this project is running \(PID {os.getpid()}\)"
    with WorkLock(site.root / "build"), pytest.raises(BuildBusy, match=busy), WorkLock(site.root / "build", wait=False):
        pass


def test_a_lock_left_by_a_killed_build_is_not_in_the_way(site):
    site.article("a.md", VALID)
    (site.root / "build").mkdir()
    (site.root / "build" / "lock").write_text("999999999\n", "ascii")  # its process is long gone
    result = built(site)
    assert "Waiting" not in result.stderr


@pytest.mark.slow
def test_builds_started_together_all_succeed(site):
    """Three builds at once: serialised, none crashes, the site is the one content builds."""
    for i in range(30):
        site.article(f"a{i:02d}.md", VALID.replace("A valid article", f"Article {i}"))
    procs = [start_build(site) for _ in range(3)]
    results = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    for code, _, err in results:
        assert code == 0, err
        assert "Traceback" not in err
    together = tree_hash(site.root / "site")
    built(site, "--full")
    assert tree_hash(site.root / "site") == together


@pytest.mark.slow
def test_serve_and_build_never_share_pages(site):
    """A preview (drafts included) builds in build/preview/: a build at the same time publishes no draft."""
    from briefings.authoring.serve import Preview
    from briefings.project import Project

    site.article("public.md", VALID)
    site.article("secret.md", VALID.replace("A valid article", "Secret draft") + "draft: true\n")
    preview = Preview(Project.at(site.root), port=0)
    try:
        preview.rebuild()
        assert preview.problem is None
        assert (site.root / "build/preview/docs/articles/secret.md").is_file()
        assert (preview.site_dir / "articles/secret/index.html").is_file()
        built(site)
        assert not (site.root / "build/docs/articles/secret.md").exists()
        assert not (site.root / "site/articles/secret").exists()
        everything = "".join(
            p.read_text("utf-8", errors="replace")
            for p in (site.root / "site").rglob("*")
            if p.is_file() and p.suffix in (".html", ".xml", ".json")
        )
        assert "Secret draft" not in everything
    finally:
        preview.close()


# --- links in article bodies: checked the same in full and incremental builds ----

LINKED = VALID.replace("A valid article", "The follow-up").replace("2024-01-13", "2024-01-20")


@pytest.mark.slow
def test_links_to_article_files_become_links_to_their_pages(site):
    site.article("2024/first.md", VALID + "key_points: [One point.]\n")
    site.article(
        "2024/second.md",
        LINKED,
        body="See [the first report](first.md) and [its points](../2024/first.md#key-points).\n",
    )
    built(site)
    html = (site.root / "site/articles/second/index.html").read_text("utf-8")
    assert 'href="../first/"' in html and 'href="../first/#key-points"' in html
    assert "first.md" not in html
    site.article("2024/second.md", LINKED, body="See [its people](first.md#people).\n")  # an anchor it lacks
    assert refused(site) == (
        "Error: 1 broken link: content/articles/2024/second.md: link '../first/#people': "
        "no element with id 'people' in articles/first/index.html (the previous site in "
        "site/ is untouched; fix it, or build with --no-strict)"
    )


def test_a_link_to_a_missing_article_file_is_a_problem_for_check(site):
    site.article("2024/second.md", LINKED, body="Intro.\n\nSee [the first report](first.md).\n")
    result = site.run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "content/articles/2024/second.md:9: body: links to 'first.md', which is not an article file "
        "(expected the path of another article, relative to this file, e.g. ../2024/2024-01-13-slug.md)"
    )


def test_check_reads_the_last_builds_parsed_articles_and_writes_nothing(site, monkeypatch):
    """After a build, check (and list) parse only the files changed since, whose problems
    they find as before, and write nothing: the build folder is the same, times included."""
    from briefings.content import load

    site.article("2024/first.md", VALID)
    site.article("2024/second.md", LINKED)
    built(site)
    parsed = []
    real = load._parse_file
    monkeypatch.setattr(load, "_parse_file", lambda entry, **kw: (parsed.append(entry[1]), real(entry, **kw))[1])

    def build_folder():
        return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (site.root / "build").rglob("*") if p.is_file()}

    before = build_folder()
    assert site.run("check").exit_code == 0
    assert site.run("list").exit_code == 0
    assert parsed == []
    site.article("2024/second.md", LINKED.replace("2024-01-20", "2024-13-20"))
    result = site.run("check")
    assert result.exit_code == 1
    assert result.stderr.startswith("content/articles/2024/second.md:3: date:"), result.stderr
    assert parsed == ["content/articles/2024/second.md"]
    assert build_folder() == before


@pytest.mark.slow
@pytest.mark.parametrize("incremental", [False, True])
def test_a_broken_link_in_a_body_fails_full_and_incremental_builds_alike(site, incremental):
    site.article("2024/first.md", VALID)
    site.article("2024/second.md", LINKED)
    if incremental:
        built(site)
    site.article("2024/second.md", LINKED, body="Read [the timeline](../../nowhere/) first.\n")
    before = tree_hash(site.root / "site") if incremental else None
    line = refused(site)
    assert line == (
        "Error: 1 broken link: content/articles/2024/second.md: link '../../nowhere/': "
        "no such file in the site (the previous site in site/ is untouched; fix it, or build "
        "with --no-strict)"
    )
    if incremental:
        assert tree_hash(site.root / "site") == before
    result = site.run("build", "--no-strict")
    assert result.exit_code == 0, result.output
    assert "Warning: content/articles/2024/second.md: link '../../nowhere/': no such file in the site" in result.stderr


@pytest.mark.slow
def test_a_link_to_an_existing_page_passes(site):
    site.article("2024/first.md", VALID, body="Read the [Taiwan briefing](../../topics/taiwan/).\n")
    built(site)
    assert 'href="../../topics/taiwan/"' in (site.root / "site/articles/first/index.html").read_text("utf-8")
