"""The command line itself: help, version, and documentation that cannot drift."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest
from conftest import REPO, run_cli

from briefings import __version__
from briefings.cli import main


def test_version():
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.output == f"briefings, version {__version__}\n"


@pytest.mark.parametrize("command", [[]] + [[name] for name in main.list_commands(None)])
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help(command, flag):
    result = run_cli(*command, flag)
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: briefings {' '.join(command)}".rstrip())
    if command:
        assert "Examples:" in result.output and "--project" in result.output


def _commands() -> list[str]:
    """Every command line that runs something: the commands, and each group's subcommands."""
    names = []
    for name in main.list_commands(None):
        command = main.get_command(None, name)
        subs = command.list_commands(None) if isinstance(command, click.Group) else []
        names += [f"{name} {sub}" for sub in subs] or [name]
    return names


@pytest.mark.parametrize("name", _commands())
def test_help_is_complete_on_its_own(name):
    """Each command's help stands alone: an Examples: section of command lines that use it,
    a help string for every option, and no pointer to other documents."""
    group, _, sub = name.partition(" ")
    command = main.get_command(None, group)
    if sub:
        command = command.get_command(None, sub)
    assert command is not None
    text = run_cli(*name.split(), "--help").output
    assert "\n  Examples:\n" in text
    examples = text.split("\n  Examples:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert examples[0].startswith(f"    briefings {name}")
    for previous, line in zip(["briefings", *examples], examples, strict=False):
        # a command line, or the rest of one continued with a backslash
        assert line.startswith("    briefings ") or (previous.endswith("\\") and line.startswith("      ")), line
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"briefings {name} {param.opts[0]} has no help"
    assert "README" not in text


def test_python_dash_m_works():
    result = subprocess.run(
        [sys.executable, "-m", "briefings", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout == f"briefings, version {__version__}\n"


def test_unknown_option_is_a_usage_error():
    result = run_cli("build", "--nope")
    assert result.exit_code == 2
    assert "Error: No such option '--nope'." in result.output


COMMAND_REFERENCE = "docs/src/commands.md"


def test_command_reference_matches_the_cli():
    """The docs' command reference is generated from --help by cog; regenerate with `cog -r docs/src/commands.md`."""
    reference = (REPO / COMMAND_REFERENCE).read_text("utf-8")
    assert "[[[cog" in reference and "[[[end]]]" in reference  # cog --check passes on a file with no cog block
    for name in main.list_commands(None):
        assert f"## `briefings {name}`" in reference
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", COMMAND_REFERENCE],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (
        f"{COMMAND_REFERENCE} is out of date: run `cog -r {COMMAND_REFERENCE}`\n" + result.stdout + result.stderr
    )


def test_readme_opens_with_the_build_and_test_commands_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text("utf-8")
    blocks = re.findall(r"<!-- (build|test)-command -->\n```sh\n(.+?)\n```", readme)
    assert [kind for kind, _ in blocks] == ["build", "test"]
    build, test = (command for _, command in blocks)
    assert build.startswith("python3 -m venv .venv") and build.endswith("briefings build")
    assert test.startswith("python3 -m venv .venv") and "pytest" in test
    ci = (REPO / ".ci/run").read_text("utf-8")
    assert "<!-- test-command -->" in ci and 'eval "$test_command"' in ci
