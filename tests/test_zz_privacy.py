"""Privacy: the log written during the whole test run holds no ID number, phone
number or password used in the test data; receipts mask the ID.

This file is collected last and reads the log its test process has written so far;
every test process (pytest-xdist runs several) writes its own log, and
tests/conftest.py reads all of them with :func:`leaks` once every test has run."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from desk.center.accounts import AccountError, login
from desk.center.runtime import Runtime
from desk.dossiers.lifecycle import find_dossiers

# every ID and phone number the tests type, in the forms they are typed
PERSONAL = [
    "031301012345",
    "031095012345",
    "031190054321",  # scanned CCCDs (tests/screens/test_fairqueue_screens.py)
    "031040012345",
    "031 301 012 345",
    "0912345678",
    "0912 345 678",
    "0912.345.678",
    "912345678",
    "+84912345678",
    "+84 912 345 678",
    "84912345678",
    "canbo123",
    "giamdoc123",
    "admin123",
]


SHAPED_LIKE_AN_ID_OR_PHONE = re.compile(r"(?<![\w.:/-])\+?\d{9,12}(?![\w.-])")


def leaks(text: str) -> list[str]:
    """The personal data of the tests found in a log's text."""
    found = [value for value in PERSONAL if value in text]
    # nor anything else shaped like an ID or phone number standing on its own
    found += SHAPED_LIKE_AN_ID_OR_PHONE.findall(text)
    return found


def test_the_log_holds_no_personal_data(runtime: Runtime, staff: dict[str, object]) -> None:
    from desk.center.runtime import DEMO_CATALOGUE
    from desk.dossiers.catalogue import import_catalogue
    from tests.dossiers.test_intake import form, save

    # things that put personal data in reach of the log
    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    save(runtime, form())
    find_dossiers(runtime.engine, "031 301 012 345")
    find_dossiers(runtime.engine, "+84 912 345 678")
    with pytest.raises(AccountError):  # a phone number typed as a user name
        login(runtime.engine, "0912345678", "password=admin123")
    path = Path(os.environ["DESK_LOG_FILE"])
    text = path.read_text(encoding="utf-8")
    assert "dossier 000.31.27.H31-" in text  # the log is written, with what it should say
    assert leaks(text) == []


def test_the_database_file_is_for_its_owner_only(runtime: Runtime) -> None:
    path = Path(runtime.url.removeprefix("sqlite:///"))
    assert path.stat().st_mode & 0o777 == 0o600
