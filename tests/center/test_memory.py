"""A long-running role caps glibc's malloc arenas before its UI starts threads."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from desk.center.memory import ARENAS, limit_malloc_arenas

# Eight threads allocate at the same time, then glibc lists its arenas on stderr.
THREADS = textwrap.dedent(
    """
    import ctypes, sys, threading
    from desk.center.memory import limit_malloc_arenas
    if sys.argv[1] == "capped":
        assert limit_malloc_arenas()
    together = threading.Barrier(8)
    kept = []

    def work():
        together.wait()
        kept.append([bytearray(4096) for _ in range(200)])
        together.wait()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ctypes.CDLL(None).malloc_stats()
    """
)


def arenas(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", THREADS, mode], capture_output=True, text=True, check=True
    )
    return sum(1 for line in out.stderr.splitlines() if line.startswith("Arena "))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_role_process_keeps_to_two_malloc_arenas_whatever_its_threads() -> None:
    assert limit_malloc_arenas()  # accepted here, as in the roles
    assert arenas("free") > ARENAS  # what a role's worker threads did before
    assert arenas("capped") <= ARENAS


# 60 MB in blocks malloc keeps in its heap (not mmap'd one by one), one block in
# fifty kept: the freed space lies between live blocks, where free() cannot give it
# back. Prints the resident set before and after release_free_memory(), in MB.
FRAGMENTED = textwrap.dedent(
    """
    import sys
    from desk.center.memory import release_free_memory

    def rss():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

    blocks = [bytearray(6000) for _ in range(10_000)]
    kept = blocks[::50]
    del blocks
    before = rss()
    released = release_free_memory() if sys.argv[1] == "release" else False
    print(before, rss(), released)
    """
)


def fragmented(mode: str) -> tuple[float, float, bool]:
    out = subprocess.run(
        [sys.executable, "-c", FRAGMENTED, mode], capture_output=True, text=True, check=True
    )
    before, after, released = out.stdout.split()
    return float(before), float(after), released == "True"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_the_free_pages_of_the_heap_go_back_to_the_system() -> None:
    before, after, released = fragmented("keep")
    assert not released and after > before - 5  # free() alone keeps them
    before, after, released = fragmented("release")
    assert released and after < before - 40
