"""Reading processes' CPU priority (``nice``), command lines and children from /proc, for the priority tests."""

from __future__ import annotations

from pathlib import Path


def niceness_of(pid: int) -> int:
    """The ``nice`` value of process ``pid`` (the 17th field of /proc/PID/stat after the name)."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def command_of(pid: int) -> bytes:
    """The command line of process ``pid``, arguments joined by spaces."""
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")


def children_of(pid: int) -> list[int]:
    """The live child processes of ``pid``."""
    return [int(child) for task in Path(f"/proc/{pid}/task").glob("*/children") for child in task.read_text().split()]
