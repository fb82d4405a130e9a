"""The package's layout holds: packages by stage, no import cycles, no lower stage
importing a higher one, no module too long to read, only the CLI importing click; and the
repository's top level holds what it should, nothing left over."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "briefings"
# Lower stages first; a module may import its own stage and those before it.
STAGES = [
    {
        "briefings",
        "briefings.errors",
        "briefings.project",
        "briefings.fileio",
        "briefings.parallel",
        "briefings.lock",
        "briefings.options",
    },
    {"briefings.content"},
    {"briefings.cache", "briefings.pages", "briefings.digest"},
    {"briefings.engine"},
    {"briefings.pipeline", "briefings.publish"},
    {"briefings.authoring"},
    {"briefings.cli", "briefings.__main__"},
]
MAX_LINES = 420  # about 400: past that a module owns two things


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """Every briefings module the file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in MODULES}
    return found


GRAPH = {name: imports(path) - {name} for name, path in MODULES.items()}


def stage_of(module: str) -> int:
    for i, stage in enumerate(STAGES):
        if module in stage or any(module.startswith(s + ".") for s in stage if s != "briefings"):
            return i
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES in tests/test_layout.py")


def test_every_module_has_a_stage():
    for module in MODULES:
        stage_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_lower_stage_imports_a_higher_one(module):
    higher = sorted(m for m in GRAPH[module] if stage_of(m) > stage_of(module) and m != "briefings")
    assert not higher, f"{module} (stage {stage_of(module)}) imports {higher}"


def test_no_import_cycles():
    seen: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        seen[module] = 1
        for other in sorted(GRAPH[module]):
            if seen.get(other) == 1:
                cycle = [*path[path.index(other) :], other]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if other not in seen:
                visit(other, [*path, other])
        seen[module] = 2

    for module in sorted(MODULES):
        if module not in seen:
            visit(module, [module])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_readable(module):
    lines = MODULES[module].read_text("utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines (at most {MAX_LINES}: split it by what it owns)"


def test_every_package_says_what_it_owns():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text("utf-8"))) or ""
        assert "Owns" in doc and "Must not" in doc, init


def test_only_the_cli_imports_click():
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text("utf-8"))
        names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        names |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        if module != "briefings.cli" and not module.startswith("briefings.cli."):
            assert not {n for n in names if n == "click" or n.startswith("click.")}, module


TOP_LEVEL = {
    *(".ci", ".github", ".gitignore", "CHANGELOG.md", "README.md", "pyproject.toml", "mkdocs.yml"),
    *("briefings", "content", "theme", "tests", "docs", "benchmarks"),
}


def test_the_repository_top_level_holds_only_what_it_should():
    """A file a shell mishap left (``-added-s14.md`` was committed once) is caught here."""
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert {name.split("/", 1)[0] for name in tracked.splitlines()} == TOP_LEVEL
