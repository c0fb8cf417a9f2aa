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
