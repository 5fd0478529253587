"""CPU priorities (``nice``) of the server's worker processes, counted from the server's own.

The server answers every request and each costs it a few milliseconds; its query and search
workers do the long parts. Workers run some levels below the server so that, when the cores are
contended, the server's short slices go first (docs/api.md, "CPU priorities").
"""

from __future__ import annotations

import os

MAX_NICENESS = 19
"""The lowest priority Linux gives."""


def own_niceness() -> int:
    """This process's ``nice`` value."""
    return os.getpriority(os.PRIO_PROCESS, 0)


def below_own(levels: int) -> int:
    """The absolute ``nice`` value ``levels`` below this process's (capped at the lowest priority)."""
    if not 0 <= levels <= MAX_NICENESS:
        raise ValueError(f"worker niceness must be from 0 to {MAX_NICENESS}, got {levels}")
    return min(MAX_NICENESS, own_niceness() + levels)


def set_niceness(pid: int, niceness: int) -> bool:
    """Set the absolute ``nice`` of process ``pid`` (0: this one); False where the OS refuses or it is gone."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, niceness)
    except (PermissionError, ProcessLookupError):
        return False
    return True
