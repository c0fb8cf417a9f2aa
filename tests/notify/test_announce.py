"""Spoken calls: in order, never over each other, a chime before each; a missing
speech engine is reported once and never stops the board."""

from __future__ import annotations

import sys
from pathlib import Path

from desk.notify.announce import Announcer, write_chime

RECORDER = """
import sys, time
log = open(sys.argv[1], "a")
log.write("start " + sys.argv[2] + "\\n"); log.flush()
time.sleep(float(sys.argv[3]))
log.write("end " + sys.argv[2] + "\\n"); log.flush()
"""


def recorder(tmp_path: Path) -> tuple[Path, Path]:
    script = tmp_path / "record.py"
    script.write_text(RECORDER)
    return script, tmp_path / "spoken.txt"


def test_two_calls_in_quick_succession_are_spoken_in_order_after_a_chime(tmp_path: Path) -> None:
    script, log = recorder(tmp_path)
    problems: list[str] = []
    announcer = Announcer(
        [sys.executable, str(script), str(log), "{voice}:{text}", "0.3"],
        [sys.executable, str(script), str(log), "chime", "0"],
        "vi",
        write_chime(tmp_path / "chime.wav"),
        problems.append,
    )
    announcer.say("Mời số A 0 1 2 đến quầy 3")
    announcer.say("Mời số B 0 0 7 đến quầy 5")
    announcer.close(wait=30)
    assert log.read_text().splitlines() == [
        "start chime",
        "end chime",
        "start vi:Mời số A 0 1 2 đến quầy 3",
        "end vi:Mời số A 0 1 2 đến quầy 3",
        "start chime",
        "end chime",
        "start vi:Mời số B 0 0 7 đến quầy 5",
        "end vi:Mời số B 0 0 7 đến quầy 5",
    ]
    assert problems == []


def test_a_missing_speech_engine_is_reported_once(tmp_path: Path) -> None:
    problems: list[str] = []
    announcer = Announcer(
        ["no-such-espeak-ng", "{text}"], [], "vi", tmp_path / "chime.wav", problems.append
    )
    for n in range(3):
        announcer.say(f"Mời số A00{n}")
    announcer.close(wait=30)
    assert problems == ["speech: no-such-espeak-ng is not installed"]


def test_the_chime_is_a_short_wav(tmp_path: Path) -> None:
    import wave

    path = write_chime(tmp_path / "chime.wav")
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getframerate() == 16000
        assert 0.5 < w.getnframes() / w.getframerate() < 0.7
