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
    """The live child processes of ``pid``, found by each process's parent in /proc/*/stat.

    (/proc/PID/task/*/children is not used: the kernel documents it as unreliable while the process
    tree changes, and it can skip a child then.)"""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
        if parent == pid:
            children.append(int(stat.parent.name))
    return sorted(children)
