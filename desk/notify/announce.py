"""Spoken calls on the board: "Mời số A012 đến quầy 3", one at a time, after a chime.

The board hands each new call to :meth:`Announcer.say`, which returns at once; a
single worker thread plays the chime and then speaks the text with the configured
command (espeak-ng's Vietnamese voice by default), waiting for each to finish, so two
calls in quick succession are spoken in order and never over each other. A command
that is missing or fails is reported once through ``problem`` (the board shows it and
the log keeps it) and never stops the board; calls then go on silently.
"""

from __future__ import annotations

import queue
import shutil
import struct
import subprocess
import threading
import wave
from collections.abc import Callable
from math import pi, sin
from pathlib import Path

from desk import logs

log = logs.get("board")
DEFAULT_SPEECH = ["espeak-ng", "-v", "{voice}", "{text}"]
DEFAULT_CHIME = ["aplay", "-q", "{chime}"]


def write_chime(path: Path) -> Path:
    """A two-tone chime (0.6 s, 16-bit mono WAV), made once."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rate = 16000
    frames = bytearray()
    for freq, seconds in ((880.0, 0.25), (660.0, 0.35)):
        count = int(rate * seconds)
        for i in range(count):
            fade = min(1.0, (count - i) / (rate * 0.05))
            frames += struct.pack("<h", int(9000 * fade * sin(2 * pi * freq * i / rate)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


class Announcer:
    def __init__(
        self,
        speech: list[str],
        chime: list[str],
        voice: str,
        chime_file: Path,
        problem: Callable[[str], None],
        timeout: float = 20.0,
    ) -> None:
        self.speech = speech
        self.chime = chime
        self.voice = voice
        self.chime_file = chime_file
        self.problem = problem
        self.timeout = timeout
        self._reported: set[str] = set()
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="announcer", daemon=True)
        self._thread.start()

    def say(self, text: str) -> None:
        """Queue ``text`` to be spoken after the calls before it."""
        self._queue.put(text)

    def close(self, wait: float = 0.0) -> None:
        self._queue.put(None)
        if wait:
            self._thread.join(wait)

    def _work(self) -> None:
        while (text := self._queue.get()) is not None:
            if self.chime:
                self._run("chime", self.chime, text)
            self._run("speech", self.speech, text)

    def _run(self, what: str, template: list[str], text: str) -> None:
        argv = [
            a.replace("{text}", text)
            .replace("{voice}", self.voice)
            .replace("{chime}", str(self.chime_file))
            for a in template
        ]
        if shutil.which(argv[0]) is None:
            self._report(what, f"{argv[0]} is not installed")
            return
        try:
            done = subprocess.run(argv, capture_output=True, timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            self._report(what, f"{argv[0]}: {type(exc).__name__}")
            return
        if done.returncode != 0:
            self._report(what, f"{argv[0]} exited {done.returncode}")

    def _report(self, what: str, why: str) -> None:
        if what in self._reported:
            return
        self._reported.add(what)
        log.warning("board %s unavailable: %s", what, why)
        self.problem(f"{what}: {why}")
