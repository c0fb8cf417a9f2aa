"""Figures with a fraction that the command line shows people are written as the
configured language writes them (``desk.i18n.decimal``): "2,5 giây" in Vietnamese,
"2.5 s" in English, where ``desk sync --daemon``, ``desk notify --daemon`` and
``desk backup`` wrote a decimal point in both (and a command's time-out, which an
officer reads among a notice's errors)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from desk import i18n
from desk.center.config import NotifyConfig
from desk.notify.gateways import CommandGateway, Message
from desk.notify.notifier import Notifier
from desk.upstream.sync import Sync
from tests.conftest import SAMPLE_CONFIG

SAID = {
    "vi": (
        "Đồng bộ với {url} mỗi 2,5 giây",
        "Đang gửi tin nhắn qua command, mỗi 0,5 giây.",
    ),
    "en": ("Syncing with {url} every 2.5 s", "Sending notices by command every 0.5 s."),
}


@pytest.fixture
def language(request: pytest.FixtureRequest) -> object:
    yield request.param
    i18n.set_language("vi")


def configure(tmp_path: Path, mp: pytest.MonkeyPatch, language: str) -> str:
    """The sample configuration in ``language`` with a sync every 2.5 s and notices by
    a command every 0.5 s; the upstream URL as the daemon names it."""
    url = "postgresql+psycopg://center_27@provincial-db/desk"
    text = SAMPLE_CONFIG.read_text("utf-8")
    text = text.replace('language = "vi"', f'language = "{language}"')
    text = text.replace(
        'url = ""\nbatch_size = 500\ninterval_seconds = 10',
        f'url = "{url}"\nbatch_size = 500\ninterval_seconds = 2.5',
    )
    text = text.replace(
        'channel = "off"', 'channel = "command"\ncommand = ["true"]\ninterval_seconds = 0.5'
    )
    cfg = tmp_path / "center.toml"
    cfg.write_text(text, "utf-8")
    mp.setenv("DESK_CONFIG", str(cfg))
    mp.setenv("DESK_DB", f"sqlite:///{tmp_path / 'desk.db'}")
    return url


@pytest.mark.parametrize("language", ["vi", "en"], indirect=True)
def test_the_daemons_name_their_interval_with_the_languages_decimal_mark(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
) -> None:
    from desk.cli import run

    url = configure(tmp_path, monkeypatch, language)
    every: list[float] = []
    monkeypatch.setattr(Sync, "run_forever", lambda self, seconds, **_: every.append(seconds))
    monkeypatch.setattr(Notifier, "run_forever", lambda self, seconds, **_: every.append(seconds))
    assert run(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert run(["sync", "--daemon"]) == 0
    assert run(["notify", "--daemon"]) == 0
    assert every == [2.5, 0.5]  # what they were told, the same figures
    sync, notify = SAID[language]
    lines = capsys.readouterr().out.splitlines()
    assert lines == [sync.format(url=url), notify]


@pytest.mark.parametrize("language", ["vi", "en"], indirect=True)
def test_desk_backup_says_its_seconds_with_the_languages_decimal_mark(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
) -> None:
    from desk.cli import run

    configure(tmp_path, monkeypatch, language)
    assert run(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert run(["backup", "--to", str(tmp_path)]) == 0
    written = capsys.readouterr().out.splitlines()[0]
    took = r"trong \d+,\d giây$" if language == "vi" else r"in \d+\.\d s$"
    assert re.search(took, written), written


@pytest.mark.parametrize("language", ["vi", "en"], indirect=True)
def test_a_command_that_times_out_says_so_with_the_languages_decimal_mark(
    language: str,
) -> None:
    i18n.set_language(language)
    config = NotifyConfig(
        channel="command",
        command=[sys.executable, "-c", "import time; time.sleep(30)"],
        timeout_seconds=0.5,
    )
    delivery = CommandGateway(config).send("k", "+84912345678", Message("x", "x", {}))
    assert delivery.outcome == "retry"
    assert (
        delivery.detail
        == {
            "vi": "lệnh gửi quá 0,5 giây không xong",
            "en": "the send command did not finish within 0.5 s",
        }[language]
    )
