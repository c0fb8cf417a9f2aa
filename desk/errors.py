"""Typed errors of the domain core.

Every error a person can cause carries a message that names what is wrong and
what is expected; the command line prints it on one line and exits 1.
"""

from __future__ import annotations


class DeskError(Exception):
    """An error to show to a person, never as a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(DeskError):
    """The command was given wrong arguments: exit 2, as argparse does."""

    exit_code = 2
    prog = "desk"
    """The command it belongs to (``desk report``), whose ``--help`` the hint names."""


class ConfigError(DeskError):
    """The configuration file is missing, unreadable or invalid.

    ``problems`` holds one line per problem, each naming the file, the key path
    and what is expected.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class CatalogueError(DeskError):
    """A catalogue file could not be imported; nothing of it was committed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class DatabaseError(DeskError):
    """The database cannot be opened, migrated or is refused."""


BUSY_MARKERS = ("database is locked", "database is busy", "lock timeout", "could not obtain lock")


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` only says the database is busy (locked by another writer past
    its timeout): worth trying again in a moment, not worth showing as a fault.

    Pollers catch exactly these and let every other error surface."""
    if getattr(exc, "busy", False):
        return True
    if type(exc).__name__ != "OperationalError":
        return False
    text = str(exc).lower()
    return any(marker in text for marker in BUSY_MARKERS)


_ERRNO_KEYS = {
    "ENOENT": "no_such_file",
    "EACCES": "no_permission",
    "EPERM": "no_permission",
    "EISDIR": "is_a_folder",
    "ENOTDIR": "not_a_folder",
    "EROFS": "read_only_disk",
    "ENOSPC": "disk_full",
    "EEXIST": "exists",
    "EBUSY": "busy",
    "ECONNREFUSED": "refused",
    "ETIMEDOUT": "timed_out",
    "EHOSTUNREACH": "unreachable",
    "ENETUNREACH": "unreachable",
    "ENODEV": "no_device",
    "ENXIO": "no_device",
}
"""The system errors a person meets (a file, a folder, a disk, a printer, a server)
and their ``os_error`` catalog keys."""


def os_reason(exc: OSError) -> str:
    """Why the system refused, in the UI's language: the operating system's own
    words are English ("No such file or directory") whatever the language; an error
    with no key here keeps them."""
    import errno

    from desk.i18n import t

    name = errno.errorcode.get(exc.errno or 0, "")
    key = _ERRNO_KEYS.get(name)
    if key is not None:
        return t(f"os_error.{key}")
    return exc.strerror or str(exc) or type(exc).__name__
