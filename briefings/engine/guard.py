"""Run an outside program (Zensical, Pagefind) in a child process with a memory
ceiling, so a runaway engine is stopped and reported rather than taking the
machine down (Zensical's tags plugin reached 19 GB at 5,000 pages)."""

from __future__ import annotations

import os
import resource
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefings.errors import SiteBuildError

DEFAULT_MAX_MEMORY_GB = 8.0

# What a process that hit RLIMIT_AS says before it dies (Rust, Python, glibc).
_OUT_OF_MEMORY = (
    "memory allocation of",
    "MemoryError",
    "Cannot allocate memory",
    "out of memory",
    "failed to allocate",
    "std::bad_alloc",
)


@dataclass(frozen=True)
class Finished:
    output: str  # stdout and stderr, interleaved


def _limit(max_bytes: int) -> Callable[[], None]:
    def apply() -> None:  # runs in the child, between fork and exec
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))

    return apply


def run_guarded(
    args: list[str],
    *,
    what: str,
    cwd: Path,
    max_memory_gb: float,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Finished:
    """Run ``args``; raise SiteBuildError with one line if it fails, crashes or
    exceeds ``max_memory_gb`` of address space."""
    if not max_memory_gb > 0:
        raise SiteBuildError(f"--max-memory-gb must be more than 0 (got {max_memory_gb})")
    limit = int(max_memory_gb * 2**30)
    try:
        done = subprocess.run(
            args,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            preexec_fn=_limit(limit),
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise SiteBuildError(f"{what} could not be started: {args[0]} not found") from None
    except subprocess.TimeoutExpired:
        raise SiteBuildError(f"{what} took longer than {timeout:.0f} s and was stopped") from None
    if done.returncode == 0:
        return Finished(done.stdout)
    out = done.stdout or ""
    if any(sign in out for sign in _OUT_OF_MEMORY):
        raise SiteBuildError(
            f"{what} ran out of memory: it was stopped at its limit of {max_memory_gb:g} GB "
            "(raise it with --max-memory-gb)"
        )
    code = done.returncode
    how = f"was killed by signal {-code}" if code < 0 else f"failed (exit status {code})"
    raise SiteBuildError(f"{what} {how}: {last_line(out) or 'no message'}")


def last_line(output: str) -> str:
    """The most telling line of a failed run: the last one that is not traceback noise."""
    lines = [" ".join(line.split()) for line in output.splitlines() if line.strip()]
    for line in reversed(lines):
        if not line.startswith(("File ", "^", "~", "note:", "stack backtrace", "Traceback")):
            return line[:400]
    return ""
