"""The CCCD's QR code typed by a keyboard-wedge scanner, caught where it lands.

A wedge scanner types the QR's line (``id|old id|name|birth|sex|address|issue``) as
keys, usually ending with Enter. Two places listen for it:

- intake (:class:`ScanCatcher` on every form field, :class:`IntakeScanFill` on the
  form): the first ``|`` typed into any field turns what follows into a scan; the
  field gets back what it held before the scan began, and on Enter the form is
  filled from the card in one go, or a message says why the line was refused and
  nothing changes;
- the kiosk (:class:`KioskScanner`): its digit keys act on their own (a service,
  the priority menu). A key that takes no ticket at once is held for
  ``identity.scan_gap_ms`` to see what follows, and keys that keep coming faster
  than that are one scan: the priority key (every CCCD begins with 0, and so do
  agency codes like 000.31.27.H31), a digit no service has, a key that means
  nothing at the kiosk (a letter, a dot: the receipt's address), and with
  ``identity.kiosk_scan`` on every digit. A scan that holds ``|`` is a CCCD; one
  that reads as a dossier's code or address is looked up; a digit or two is a
  person's key (a double press acts once); anything else is said to be unread, and
  never shown (a CCCD cut by a pause is digits alone). A service's key acts at
  once (``kiosk_scan`` off): a scan that begins with one takes that ticket.

The scanned line and the CCCD number never reach the log or the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static

from desk import clock, logs
from desk.dossiers.cccd import CccdScan, ScanError, parse_scan
from desk.i18n import day_text, t

if TYPE_CHECKING:
    from screens.app import DeskApp

log = logs.get("scan")


class CccdScanned(Message):
    """A whole scanned line arrived in a form field."""

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line


class ScanCatcher:
    """Mixin for an :class:`~textual.widgets.Input`: a line with ``|`` typed into it is
    taken out of the field and posted as :class:`CccdScanned` (on Enter, or pasted)."""

    _scan: str | None = None
    _run: str = ""
    _run_start: str = ""

    async def _on_key(self, event: events.Key) -> None:
        field: Any = self
        char = event.character if event.is_printable else None
        if self._scan is not None:
            event.stop()
            event.prevent_default()
            if char:
                self._scan += char
            elif event.key == "enter":
                line, self._scan, self._run = self._scan, None, ""
                field.value = self._run_start
                field.post_message(CccdScanned(line))
            else:  # anything else ends the scan: the field is as before it
                self._scan, self._run = None, ""
                field.value = self._run_start
            return
        if char == "|":
            event.stop()
            event.prevent_default()
            if not self._run:
                self._run_start = field.value
            self._scan = self._run + char
            return
        if char:
            if not self._run:
                self._run_start = field.value
            self._run += char
        else:
            self._run = ""
        # Input's own _on_key runs next (Textual calls every class's handler in order)

    def _on_blur(self, event: events.Blur) -> None:
        if self._scan is not None:
            field: Any = self
            field.value = self._run_start
        self._scan, self._run = None, ""

    def _on_paste(self, event: events.Paste) -> None:
        line = event.text.splitlines()[0] if event.text else ""
        if "|" in line:
            event.stop()
            event.prevent_default()
            field: Any = self
            field.post_message(CccdScanned(line))


class IntakeScanFill:
    """Mixin for the intake screen: fill the applicant from a scanned CCCD."""

    FILLED = (
        ("applicant_name", "name"),
        ("applicant_id_number", "number"),
        ("applicant_birth_year", "birth_year"),
        ("applicant_address", "address"),
    )

    def on_cccd_scanned(self, message: CccdScanned) -> None:
        screen: Any = self
        message.stop()
        notice = screen.query_one("#intake-message", Static)
        try:
            scan = parse_scan(message.line)
        except ScanError as exc:
            log.info("intake: a scanned line was refused (not a valid CCCD QR code)")
            notice.update(str(exc))
            notice.add_class("-error")
            return
        for field_id, attr in self.FILLED:
            value = getattr(scan, attr)
            if value not in (None, ""):
                screen.query_one(f"#{field_id}", Input).value = str(value)
        notice.update(t("cccd.filled", name=scan.name, sex=_sex(scan), birth=_birth(scan)))
        notice.remove_class("-error")
        log.info("intake: applicant filled from a scanned CCCD")


def _sex(scan: CccdScan) -> str:
    if scan.male is None:
        return t("cccd.unknown")
    return t("cccd.male") if scan.male else t("cccd.female")


def _birth(scan: CccdScan) -> str:
    return day_text(scan.birth) if scan.birth else t("cccd.unknown")


PERSON_KEYS = 2
"""Keys this many or fewer, with no code in them, are a person's (a double press)."""


def looks_like_a_code(keys: str) -> bool:
    """Whether scanned ``keys`` read as a dossier's code or the receipt's address
    (``000.31.27.H31-261202-0001``, ``https://…?ma=…``): long, with the dots, dashes
    or slashes a code or an address has and digits alone never do."""
    return len(keys) >= 8 and any(mark in keys for mark in ".-/:")


class KioskScanner:
    """Mixin for the kiosk screen: fast keys ending in Enter (or a pause) are a scan
    (see the module's docstring); a held key alone acts after the pause, as if
    pressed then."""

    _buffer: str = ""
    _flush: Timer | None = None
    person_key: str | None = None

    @property
    def _scanning(self) -> bool:
        screen: Any = self
        return bool(screen.runtime.config.identity.kiosk_scan)

    def on_key(self, event: events.Key) -> None:
        screen: Any = self
        if screen.app.screen is not screen:
            return
        char = event.character if event.is_printable else None
        if event.key == "enter" and self._buffer:
            event.stop()
            event.prevent_default()
            self.end_scan()
            return
        if not char:
            return
        if not self._buffer and (screen.desk.is_replayed(event) or not self._starts_scan(char)):
            return  # a person's key (those pressed while the kiosk opened too): at once
        event.stop()
        event.prevent_default()
        self.take_scanned(char)

    def _starts_scan(self, char: str) -> bool:
        """Whether ``char``, typed at the kiosk's home, may begin a scan (it is held to
        see what follows): every key but a service's, the check-in's, ``*`` and a
        space; with CCCDs scanned here, every digit too."""
        screen: Any = self
        config = screen.runtime.config
        if char.isdigit():
            at_once = {svc.key for svc in config.services} | {config.appointments.kiosk_key}
            return self._scanning or char not in at_once
        return char not in "* "

    def take_scanned(self, keys: str) -> None:
        """Add ``keys`` to the scan under way (or begin one); it ends with Enter or
        after ``identity.scan_gap_ms`` without a key."""
        screen: Any = self
        self._buffer += keys
        if self._flush is not None:
            self._flush.stop()
        gap = screen.runtime.config.identity.scan_gap_ms / 1000
        self._flush = screen.set_timer(gap, self.end_scan)

    def end_scan(self) -> None:
        """The scan under way has ended (Enter, or the pause after its last key)."""
        screen: Any = self
        if self._flush is not None:
            self._flush.stop()
            self._flush = None
        keys, self._buffer = self._buffer, ""
        if not keys:
            return
        if "|" in keys:
            if self._scanning:
                self._scanned(keys)
            else:
                log.info("kiosk: a CCCD was scanned where the kiosk does not read them")
                self._say(t("scan.kiosk_off"))
        elif looks_like_a_code(keys):  # the receipt's QR, or a dossier code
            log.info("kiosk: a scanned code was taken for a dossier look-up")
            screen.query_one("#kiosk-message", Static).update("")
            screen.action_status(keys, look_up=True)
        elif len(keys) <= PERSON_KEYS:  # a person's key held to see what followed
            if keys[0].isdigit():
                screen.action_press(keys[0])
        else:  # never shown: it may be part of a CCCD cut by a pause
            log.info("kiosk: a scanned line was not read (no code, no CCCD)")
            self._say(t("scan.not_read"))

    def _say(self, words: str) -> None:
        """A scan's message on the kiosk's line, for the citizen who scanned: gone after
        ``queue.kiosk_return_seconds`` unless something else was said meanwhile (it
        stayed for the next citizens; walk, 2 Dec)."""
        screen: Any = self
        message = screen.query_one("#kiosk-message", Static)
        message.update(words)

        def clear() -> None:
            if str(message.render()) == words:
                message.update("")

        screen.set_timer(screen.runtime.config.queue.kiosk_return_seconds, clear)

    def _scanned(self, line: str) -> None:
        from desk.dossiers.cccd import load_secret, person_key, secret_path

        screen: Any = self
        app: DeskApp = screen.desk
        config = screen.runtime.config
        message = screen.query_one("#kiosk-message", Static)
        try:
            scan = parse_scan(line)
        except ScanError as exc:
            log.info("kiosk: a scanned line was refused (not a valid CCCD QR code)")
            message.update(str(exc))
            return
        category = None
        age = scan.age(clock.today())
        for tier in sorted(config.identity.age_tiers, key=lambda a: -a.min_age):
            if age is not None and age >= tier.min_age:
                category = tier.category
                break
        secret = load_secret(secret_path(config.identity.secret_file, config.center.agency_code))
        screen._priority_chosen(category)
        self.person_key = person_key(scan.number, secret)
        mode = screen.query_one("#kiosk-mode", Static)
        mode.display = True
        mode.update(
            t("scan.read_priority", category=app.queue.category_name(category))
            if category
            else t("scan.read")
        )
        message.update("")
        log.info("kiosk: a citizen scanned a CCCD (priority: %s)", category or "none")
