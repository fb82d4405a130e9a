"""Exit codes everywhere, for every command: 0 when it did what was asked; 2 for a usage
error (the command line itself is wrong: an unknown option, a missing argument, a value
its option never accepts); 1 for a problem with what the command works on (the content,
the project folder, a file to import, git). Never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import VALID, Site

from briefings.cli import main

CLIPPING = Path(__file__).parent / "fixtures" / "import" / "clipping.txt"

# (command line, expected status). In arguments, {site} is a valid briefing site, {broken}
# one with a broken (published) article, {empty} a folder with no project, {new} a folder
# that does not exist yet, {file} a file.
CASES = [
    (["nope"], 2),
    # build
    (["build", "--nope"], 2),
    (["build", "--project", "{site}", "--engine", "hugo"], 2),
    (["build", "--project", "{site}", "--base-url", "ftp://x"], 2),
    (["build", "--project", "{site}", "--cname", "https://news.example.org/"], 2),
    (["build", "--project", "{site}", "--workers", "0"], 2),
    (["build", "--project", "{site}", "--workers", "65"], 2),  # more processes than any machine's cores
    (["build", "--project", "{site}", "--max-memory-gb", "none"], 2),
    (["build", "--project", "{broken}"], 1),
    (["build", "--project", "{empty}"], 1),
    (["build", "--project", "{site}"], 0),
    # check
    (["check", "--nope"], 2),
    (["check", "--project", "{site}", "--site", "--base-url", "ftp://x"], 2),
    (["check", "--project", "{broken}"], 1),
    (["check", "--project", "{empty}"], 1),
    (["check", "--project", "{site}", "--site"], 1),  # no built site to check
    (["check", "--project", "{site}"], 0),
    # deploy (a successful one needs a git remote: tests/test_deploy.py)
    (["deploy", "--nope"], 2),
    (["deploy", "--project", "{site}", "--base-url", "https://user.github.io/a b/"], 2),
    (["deploy", "--project", "{site}", "--cname", "localhost"], 2),
    (["deploy", "--project", "{broken}"], 1),
    (["deploy", "--project", "{empty}"], 1),
    # serve (a running server: tests/test_serve.py)
    (["serve", "--nope"], 2),
    (["serve", "--project", "{site}", "--port", "0"], 2),
    (["serve", "--project", "{empty}"], 1),
    # new
    (["new", "--nope"], 2),
    (["new", "--project", "{site}"], 2),  # no TITLE
    (["new", "A title", "--project", "{site}", "--date", "yesterday"], 2),
    (["new", "A title", "--project", "{site}", "--topic", "taiwn"], 2),
    (["new", "A title", "--project", "{site}", "--url", "ftp://example.org/x"], 2),
    (["new", "!!!", "--project", "{site}", "--topic", "taiwan"], 2),
    (["new", "A title", "--project", "{site}"], 2),  # no topic's keywords match: pass --topic
    (["new", "A title", "--project", "{empty}"], 1),
    (["new", "A title", "--project", "{site}", "--topic", "taiwan"], 0),
    # import
    (["import", "--nope"], 2),
    (["import", "--project", "{site}"], 2),  # no SOURCE
    (["import", str(CLIPPING), "--project", "{site}", "--timeout", "0"], 2),
    (["import", str(CLIPPING), "--project", "{site}", "--topic", "taiwn"], 2),
    (["import", str(CLIPPING), "--project", "{site}", "--date", "2024-02-30"], 2),
    (["import", str(CLIPPING), "--project", "{site}", "--title", " "], 2),
    (["import", "{empty}/missing.html", "--project", "{site}"], 1),
    (["import", str(CLIPPING), "--project", "{empty}"], 1),
    (["import", str(CLIPPING), "--project", "{site}", "--topic", "taiwan", "--date", "2024-01-02", "--source", "X"], 0),
    # list
    (["list", "--nope"], 2),
    (["list", "--project", "{site}", "--format", "xml"], 2),
    (["list", "--project", "{site}", "--since", "2024-13-01"], 2),
    (["list", "--project", "{site}", "--topic", "taiwn"], 2),
    (["list", "--project", "{broken}"], 1),
    (["list", "--project", "{empty}"], 1),
    (["list", "--project", "{site}"], 0),
    # topics
    (["topics", "--nope"], 2),
    (["topics", "--project", "{site}", "--format", "xml"], 2),
    (["topics", "--project", "{broken}"], 1),
    (["topics", "--project", "{empty}"], 1),
    (["topics", "--project", "{site}", "--format", "json"], 0),
    # outlets
    (["outlets", "--nope"], 2),
    (["outlets", "--project", "{site}", "--format", "xml"], 2),
    (["outlets", "--project", "{broken}"], 1),
    (["outlets", "--project", "{empty}"], 1),
    (["outlets", "--project", "{site}", "--format", "csv"], 0),
    # stories
    (["stories", "nope"], 2),
    (["stories", "suggest", "--project", "{site}", "--window", "0"], 2),
    (["stories", "suggest", "--project", "{site}", "--format", "xml"], 2),
    (["stories", "suggest", "--project", "{broken}"], 1),
    (["stories", "suggest", "--project", "{empty}"], 1),
    (["stories", "suggest", "--project", "{site}", "--apply", "no-such-group-2024-01-13"], 1),
    (["stories", "suggest", "--project", "{site}", "--format", "json"], 0),
    # init
    (["init", "--nope"], 2),
    # digest (its every message: tests/test_digest_cli.py)
    (["digest", "--nope"], 2),
    (["digest", "--project", "{site}", "--week", "2024-W02"], 2),  # no site_url: links cannot be absolute
    (["digest", "--project", "{site}", "--week", "2024-2", "--base-url", "https://x.org/"], 2),
    (
        [
            "digest",
            "--project",
            "{site}",
            "--since",
            "2024-01-14",
            "--until",
            "2024-01-08",
            "--base-url",
            "https://x.org/",
        ],
        2,
    ),
    (["digest", "--project", "{broken}", "--week", "2024-W02", "--base-url", "https://x.org/"], 1),
    (["digest", "--project", "{site}", "--week", "2024-W03", "--base-url", "https://x.org/"], 1),  # nothing in it
    (["digest", "--project", "{site}", "--week", "2024-W03", "--base-url", "https://x.org/", "--allow-empty"], 0),
    (["digest", "--project", "{site}", "--week", "2024-W02", "--base-url", "https://x.org/"], 0),
    (["init"], 2),  # no FOLDER
    (["init", "{new}", "--site-name", " "], 2),
    (["init", "{site}"], 1),  # not empty: nothing of yours is overwritten
    (["init", "{new}"], 0),
    (["init", "{site}", "--eject-theme", "--site-name", "Other"], 2),  # an existing site keeps its name
    (["init", "{file}", "--eject-theme"], 1),  # a file, not a folder
    (["init", "{site}", "--eject-theme"], 0),
]


@pytest.mark.parametrize("args, status", CASES, ids=[" ".join(args) for args, _ in CASES])
def test_exit_status(tmp_path, args, status):
    site = Site(tmp_path / "desk")
    site.article("2024/a.md", VALID)
    broken = Site(tmp_path / "broken")
    broken.article("2024/a.md", VALID.replace("2024-01-13", "2024-02-30"))
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    places = {
        "site": site.root,
        "broken": broken.root,
        "empty": tmp_path / "empty",
        "new": tmp_path / "new",
        "file": tmp_path / "notes.txt",
    }
    argv = [arg.format(**places) for arg in args]
    result = CliRunner().invoke(main, argv)  # exceptions caught: a traceback would be result.exception
    assert result.exit_code == status, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if status:
        assert result.stderr.splitlines()[-1].startswith("Error: ")  # errors go to stderr
    if status == 2:
        assert result.stdout == ""


def test_every_command_is_walked():
    """Each command has a usage error among the cases, and a problem (1) where one applies."""
    commands = set(main.list_commands(None))
    walked = {args[0]: set() for args, _ in CASES}
    for args, status in CASES:
        walked[args[0]].add(status)
    assert commands <= set(walked)
    for name in commands:
        assert {1, 2} <= walked[name], name
