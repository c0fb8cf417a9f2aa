"""Resident memory of the long-running roles.

glibc's malloc gives each thread that allocates its own arena (up to eight per core),
and a freed block is returned to the arena it came from, not to the system. The
screens run their database steps in Textual thread workers, a new thread each, so
over a day a counter's process spreads its allocations over many arenas and keeps
the free space of all of them: measured with ``bench/startup.py``'s day's work, a
counter grew from about 128 MB after 25 calls to 157 MB by call 75 and stayed there;
with two arenas it stays near 133 MB (README, "Resident memory").
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

ARENAS = 2
"""Arenas a role's process may use: the UI's thread and one shared by its workers."""
_M_ARENA_MAX = -8  # glibc's mallopt parameter


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas for this process; call it before any thread starts
    (the limit is fixed when the first extra arena is made). False where it does not
    apply (not Linux, not glibc) or was refused; nothing else changes then."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library Python runs on
    except (OSError, AttributeError):  # musl and others: no mallopt
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_ARENA_MAX, arenas))


def prepare_long_running() -> None:
    """What a role that runs all day sets up before its UI starts (``desk.cli.roles``'s
    ``run_ui``, and ``bench/startup.py``'s day as it): glibc's arenas capped, and print
    jobs drawn in child processes (:func:`desk.printing.draw_in_children`), so the
    process never keeps python-escpos and PIL."""
    from desk.printing import draw_in_children

    limit_malloc_arenas()
    draw_in_children()


_malloc_trim: Callable[[int], int] | None = None
_no_trim = False


def release_free_memory() -> bool:
    """Give back to the system the free pages glibc's malloc keeps inside its heaps
    (``malloc_trim(0)``): what a step allocated and freed again stays in the process
    otherwise, spread between live blocks where the top of a heap cannot shrink.
    After ``bench/startup.py``'s kiosk day, 8 MB of 100 MB came back. It costs well
    under a millisecond. False where it does not apply (not Linux, not glibc)."""
    global _malloc_trim, _no_trim
    if _malloc_trim is None:
        if _no_trim or not sys.platform.startswith("linux"):
            return False
        try:
            trim = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError):  # musl and others: no malloc_trim
            _no_trim = True
            return False
        trim.argtypes = [ctypes.c_size_t]
        trim.restype = ctypes.c_int
        _malloc_trim = trim
    _malloc_trim(0)
    return True
