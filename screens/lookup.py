"""Result return and dossier lookup (F8 at the counter).

A barcode/QR scanner types the receipt's code (or tracking URL) and Enter; an
officer may also type a dossier code, a CCCD number, a phone or a name. One match
is shown at once; several are listed to choose from. F9 hands the result back
(asks who collects it); F7 marks the result ready and F5 marks the dossier in
processing, for centers whose back office is not yet connected. F3 asks for a
supplement (Mẫu 02, everything missing at once, separated by ";"), F6 resumes a
dossier waiting for a supplement (its clock restarts), F4 refuses it (Mẫu 03) and
F10 gives its one extension (Mẫu 04).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.reactive import var
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from desk import clock
from desk.center.accounts import Actor
from desk.dossiers.forms import Document
from desk.dossiers.identity import display_phone
from desk.dossiers.lifecycle import (
    DossierError,
    DossierView,
    Lifecycle,
    TypedRefused,
    code_named,
    extend_refusal,
    find_dossiers,
    is_worded,
    reason_problem,
    supplement_requests,
)
from desk.dossiers.statuses import FINAL, status_name
from desk.i18n import moment_text, t
from desk.notify.notices import NoticeView, will_notify
from desk.printing.jobs import JobView, job_status_name
from desk.printing.preview import write_document_preview
from desk.text import clean, typed_back
from screens.approval import ApprovalDialog
from screens.base import DeskModal, DeskScreen
from screens.confirm import Confirm
from screens.header import DeskHeader
from screens.keybar import KeyBar
from screens.phrases import Hanging, Phrases, short_procedure
from screens.syncbadge import SyncBadge
from screens.textual_compat import key_label
from screens.typed_time import NoSuchTime, read_clock, read_day

FieldCheck = Callable[[list[str]], tuple[int, str] | None]
"""Checks a dialog's values: (index of the field refused, why) or None."""


class FieldsDialog(DeskModal[list[str] | None]):
    """A few labelled fields; Enter moves on, Enter in the last one confirms.

    ``check`` refuses a field in the dialog itself: its message shows under that
    field, which gets the focus, and everything typed stays. ``values`` fills the
    fields again (a dialog reopened after a step that followed it was cancelled, or
    refused it: ``problem`` then shows under its field, as ``check``'s would)."""

    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(
        self,
        title: str,
        labels: list[str],
        check: FieldCheck | None = None,
        values: list[str] | None = None,
        problem: tuple[int, str] | None = None,
    ) -> None:
        super().__init__(classes="dialog with-keys")
        self.title_text = title
        self.labels = labels
        self.check = check
        self.values = values or []
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            for i, label in enumerate(self.labels):
                yield Static(label, markup=False)
                value = self.values[i] if i < len(self.values) else ""
                yield Input(value, id=f"field-{i}", max_length=500)
                yield Static("", id=f"field-{i}-error", classes="field-error", markup=False)
            hint = "counterui.hint_fields" if len(self.labels) > 1 else "counterui.hint_field"
            yield Static(t(hint), classes="dialog-hint")
        # its own keys over the look-up's, which do nothing while it is open
        yield KeyBar()

    def on_mount(self) -> None:
        if self.problem is not None:
            self._refuse(*self.problem)
        else:
            self.query_one("#field-0", Input).focus()

    def _refuse(self, index: int, message: str) -> None:
        error = self.query_one(f"#field-{index}-error", Static)
        error.update(message)
        error.add_class("-shown")
        self.query_one(f"#field-{index}", Input).focus()

    def widget_keys(self) -> list[tuple[str, str]]:
        """Enter as the field being typed takes it: the next field, or confirm."""
        last = self.focused is not None and self.focused.id == f"field-{len(self.labels) - 1}"
        return [("Enter", t("keys.confirm" if last else "keys.next_field"))]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        index = int((event.input.id or "field-0").split("-")[1])
        if index + 1 < len(self.labels):
            self.query_one(f"#field-{index + 1}", Input).focus()
            return
        values = [self.query_one(f"#field-{i}", Input).value for i in range(len(self.labels))]
        for i in range(len(self.labels)):
            self.query_one(f"#field-{i}-error", Static).update("")
        problem = self.check(values) if self.check else None
        if problem is not None:
            self._refuse(*problem)
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChooseDialog(DeskModal[str | None]):
    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, title: str, options: Sequence[tuple[str, str | Phrases]]) -> None:
        super().__init__(classes="dialog with-keys")
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(t("counterui.hint_choose"), classes="dialog-hint")  # above a long list
            yield OptionList(
                *[Option(label, id=oid) for oid, label in self.options],
                id="choices",
                markup=False,
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#choices", OptionList).focus()

    def widget_keys(self) -> list[tuple[str, str]]:
        """The list's own keys, named on the key bar."""
        return [("↑↓", t("keys.choose")), ("Enter", t("keys.reprint"))]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReceiverName(Input):
    """The receiver's name: a key beyond its length is refused with a word under it
    (150 letters stopped at 100 in silence; walk, 2 Dec)."""

    def restricted(self) -> None:
        error = self.screen.query_one("#receiver-error", Static)
        error.update(
            t("intake.field_full", field=t("lookup.receiver_field"), count=self.max_length)
        )
        error.add_class("-shown")


class ReceiverDialog(DeskModal[str | None]):
    AUTO_FOCUS = "#receiver"
    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, default: str, by_post: bool = False, partners_open: str = "") -> None:
        """``by_post``: the citizen asked for the result by post; ``partners_open``:
        the dossiers of its linked bundle still open. The dialog says so before the
        result is handed over here."""
        super().__init__(classes="dialog with-keys")
        self.default = default
        self.by_post = by_post
        self.partners_open = partners_open

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(t("lookup.receiver_title"), classes="dialog-title")
            if self.by_post:
                warning = t("lookup.receiver_by_post")
                yield Static(warning, id="receiver-post", classes="dialog-warning")
            if self.partners_open:
                partners = t("lookup.receiver_partners", dossiers=self.partners_open)
                yield Static(partners, id="receiver-partners", classes="dialog-warning")
            yield ReceiverName(self.default, id="receiver", max_length=100)
            yield Static("", id="receiver-error", classes="field-error", markup=False)
            yield Static(t("counterui.hint_receiver"), classes="dialog-hint")
        yield KeyBar()

    def widget_keys(self) -> list[tuple[str, str]]:
        return [("Enter", t("keys.return_key"))]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:  # it closed and handed back nothing, saying nothing (walk, 2 Dec)
            error = self.query_one("#receiver-error", Static)
            error.update(t("dossier.receiver_required"))
            error.add_class("-shown")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


KINDS = ("receipt", "supplement", "refusal", "apology", "ticket")


def parse_due(value: str) -> datetime | date:
    """``dd/mm/yyyy HH:MM``, or ``dd/mm/yyyy`` alone: that day, due at the center's
    closing time (:meth:`desk.dossiers.lifecycle.Lifecycle.extend`); a ValueError
    says what is wrong with the text, in the officer's language."""
    try:
        parts = value.split()
        if len(parts) == 1:
            return read_day(parts[0])
        if len(parts) == 2:
            return datetime.combine(read_day(parts[0]), read_clock(parts[1]))
        raise ValueError(value)  # nothing, or more than a day and a time
    except NoSuchTime:
        raise ValueError(t("lookup.no_such_date", value=value.strip())) from None
    except ValueError:
        raise ValueError(t("lookup.bad_date")) from None


def _when(moment: object) -> str:
    return moment_text(moment) if isinstance(moment, datetime) else "—"


class LookupScreen(DeskScreen):
    AUTO_FOCUS = "#lookup-query"
    TAKES_TYPE_AHEAD = True
    """What is typed while it opens from the counter comes to it (screens.typeahead)."""
    BINDINGS = [
        Binding("f9", "return_result", "keys.return_key", id="lookup.return"),
        Binding("f7", "resolve", "keys.resolved", id="lookup.resolve"),
        Binding("f5", "start", "keys.processing", id="lookup.start"),
        Binding("f3", "supplement", "keys.supplement", id="lookup.supplement"),
        Binding("f6", "resume", "keys.resume", id="lookup.resume"),
        Binding("f4", "refuse", "keys.refuse", id="lookup.refuse"),
        Binding("f10", "extend", "keys.extend", id="lookup.extend"),
        Binding("ctrl+p", "reprint", "keys.reprint", id="lookup.reprint"),
        Binding("ctrl+n", "resend_notice", "keys.resend_notice", id="lookup.resend"),
        Binding("escape", "leave", "keys.back", id="lookup.leave"),
    ]

    current: var[DossierView | None] = var(None, bindings=True)
    """The dossier shown; it decides which transition keys apply."""

    def __init__(self) -> None:
        super().__init__(classes="lookup")
        self._choices: dict[str, DossierView] = {}
        self._listed = ""
        """The query of the list shown last."""
        self._list_query: str | None = None
        """The search whose list the shown dossier was chosen from: Esc goes back to it."""
        self._back_to: str | None = None
        """The code to highlight when that list is shown again."""
        self.notices: list[NoticeView] = []
        self._detail = ""
        """The shown dossier's detail, before the line of its bundle (read after it)."""
        self._partners_open = ""
        """The shown dossier's bundle partners not yet handed back or refused (F9)."""

    def compose(self) -> ComposeResult:
        yield DeskHeader()  # as on the counter and its dialogs
        yield SyncBadge()
        yield Static(t("lookup.title"), id="lookup-title")
        yield Static(t("lookup.hint"), id="lookup-hint")
        yield Input(id="lookup-query", max_length=200)
        # what a search found (or not), right under it: under a long list it was
        # off the screen at 80×24 (walk, 2 Dec)
        yield Static("", id="lookup-message", markup=False)
        results = OptionList(id="lookup-results", markup=False)
        yield results
        yield Static("", id="lookup-detail", markup=False)
        yield Static("", id="lookup-notices", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#lookup-results").display = False

    def on_screen_resume(self) -> None:
        """Shown from the counter's F8: a code scanned meanwhile lands in the query."""
        type_ahead = self.desk.type_ahead
        if type_ahead.catching:
            field = self.query_one("#lookup-query", Input)
            self.set_focus(field, scroll_visible=False)
            type_ahead.deliver(field)

    ALLOWED = {
        "return_result": ("resolved",),
        "resolve": ("received", "processing"),
        "start": ("received",),
        "supplement": ("received", "processing"),
        "resume": ("supplement_requested",),
        "refuse": ("received", "processing", "supplement_requested"),
        "extend": ("received", "processing"),
    }
    """The states in which each transition key applies."""

    def why_not(self, action: str) -> str | None:
        """A transition key on no dossier, or on one whose state refuses it, says why."""
        if action not in self.ALLOWED and action != "reprint":
            return None
        current = self.current
        if current is None:
            if self.query_one("#lookup-results").display:  # found several: choose one first
                return t("lookup.choose_first")
            return t("everyday.lookup.no_dossier")
        if action == "reprint":
            return None
        if current.status not in self.ALLOWED[action]:
            verb = t(f"dossier.action_{'return' if action == 'return_result' else action}")
            refused = t("dossier.forbidden", action=verb, status=status_name(current.status))
            if action == "return_result" and current.status in self.ALLOWED["resolve"]:
                # no result yet: name the key that marks it ready, as the key bar shows it
                ready = next(
                    b for b in self.BINDINGS if isinstance(b, Binding) and b.action == "resolve"
                )
                first = t(
                    "walk2.lookup.resolve_first", key=key_label(ready), name=t(ready.description)
                )
                return f"{refused} {first}"
            return refused
        if action == "extend":  # before the date and the reason are typed, not after
            return extend_refusal(current.extended, current.due_at, clock.now())
        return None

    @on(Input.Submitted, "#lookup-query")
    def _search(self, event: Input.Submitted) -> None:
        if not event.value.strip():  # it said "nothing matches “”"
            self._show(None)
            self.query_one("#lookup-results").display = False
            message = self.query_one("#lookup-message", Static)
            message.update(t("lookup.empty_query"))
            message.add_class("-error")
            return
        # what was looked up stays in sight, selected: the next scan or typing takes
        # its place (a second scan was added to the first and found nothing)
        event.input.select_all()
        self.search(event.value)

    LISTED = 20
    """The most dossiers found that the list shows, the newest (one more is read, to
    know and say there are more)."""

    @work(thread=True, exclusive=True, group="lookup", exit_on_error=False)
    def search(self, query: str) -> None:
        found = find_dossiers(self.runtime.engine, query, limit=self.LISTED + 1)
        self.app.call_from_thread(self._found, found, query)

    def _found(self, found: list[DossierView], query: str = "") -> None:
        results = self.query_one("#lookup-results", OptionList)
        results.clear_options()
        message = self.query_one("#lookup-message", Static)  # plain text: never markup
        message.remove_class("-error")
        typed = typed_back(code_named(query))  # a scanned address: its code
        back_to, self._back_to = self._back_to, None
        self._list_query = None
        if not found:
            self._show(None)
            message.update(t("counterui.lookup_none", query=typed))
            return
        if len(found) == 1:
            results.display = False
            message.update("")
            self._show(found[0])
            return
        self._show(None)
        self._listed = query
        if len(found) > self.LISTED:  # "20 match" of 400 (walk, 2 Dec): say so
            found = found[: self.LISTED]
            message.update(t("counterui.lookup_more", count=self.LISTED, query=typed))
        else:
            message.update(t("counterui.lookup_found", count=len(found), query=typed))
        self._choices = {d.code: d for d in found}
        results.add_options(
            [
                # the code, then the rest under its name: at 80 columns a row cut
                # the procedure mid-word and wrapped its status under the code
                Option(
                    Hanging(
                        f"{d.code}  ",
                        f"{d.applicant_name} ({status_name(d.status)})",
                        short_procedure(d.procedure_name),
                    ),
                    id=d.code,
                )
                for d in found
            ]
        )
        results.display = True
        codes = [d.code for d in found]
        results.highlighted = codes.index(back_to) if back_to in codes else 0
        results.focus()

    def on_key(self, event: Key) -> None:
        """A letter or digit typed on the list of dossiers found starts a new query
        (it did nothing, and digits then Enter opened the highlighted dossier; walk)."""
        results = self.query_one("#lookup-results", OptionList)
        if self.focused is not results or not event.is_printable or not event.character:
            return
        if event.character.isspace():
            return
        event.stop()
        event.prevent_default()
        query = self.query_one("#lookup-query", Input)
        query.value = ""
        self.set_focus(query)
        # the key itself, after the focus (which selects what the field holds), and
        # before the keys typed after it
        query.post_message(Key(event.key, event.character))

    @on(OptionList.OptionSelected, "#lookup-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = self._choices.get(event.option.id or "")
        self._list_query = self._listed
        self._show(chosen)
        # "several match: choose one" (or "choose first") is done with: it stayed on
        self.query_one("#lookup-message", Static).update("")
        self.query_one("#lookup-results").display = False
        self.query_one("#lookup-query", Input).focus()

    def _show(self, dossier: DossierView | None) -> None:
        self.current = dossier
        self._partners_open = ""  # read again for this dossier (load_bundle)
        detail = self.query_one("#lookup-detail", Static)
        # no dossier shown, no room taken (its padding pushed a list off the screen)
        detail.display = dossier is not None
        self.query_one("#lookup-notices").display = dossier is not None
        if dossier is None:
            detail.update("")
        else:
            text = t(
                "lookup.detail",
                code=dossier.code,
                procedure=f"{dossier.procedure_code} — {dossier.procedure_name}",
                name=dossier.applicant_name,
                status=status_name(dossier.status),
                received=_when(dossier.received_at),
                due=_when(dossier.due_at),
            )
            if dossier.applicant_phone:
                text += f"\n{t('intake.phone')}: {display_phone(dossier.applicant_phone)}"
            if dossier.result_delivery == "post":  # and where it goes, when known
                text += f"\n{t('intake.delivery')}: {t('intake.delivery_post')}"
                if dossier.applicant_address:
                    text += f"\n{t('intake.address')}: {dossier.applicant_address}"
            if dossier.returned_at:  # to whom (a bare "→ name" said nothing; walk)
                to = dossier.returned_to or "—"
                text += "\n" + t("lookup.returned_to", name=to, at=_when(dossier.returned_at))
            detail.update(text)
            self._detail = text
        self.query_one("#lookup-notices", Static).update("")
        if dossier is not None:
            self.load_notices(dossier.id)
            if dossier.bundle:
                self.load_bundle(dossier.id, dossier.bundle)

    @work(thread=True, exclusive=True, group="bundle", exit_on_error=False)
    def load_bundle(self, dossier_id: int, bundle: str) -> None:
        from desk.dossiers.lifecycle import bundle_of

        members = bundle_of(self.runtime.engine, bundle)
        self.app.call_from_thread(self._show_bundle, dossier_id, members)

    def _show_bundle(self, dossier_id: int, members: list[DossierView]) -> None:
        """The other dossiers of its linked bundle under a dossier's detail, each with
        its status: they were taken in together and may not be ready together (one
        was handed back with no word of the others still open; walk, 2 Dec)."""
        if self.current is None or self.current.id != dossier_id:
            return
        partners = [m for m in members if m.id != dossier_id]

        def listed(dossiers: list[DossierView]) -> str:
            return " · ".join(f"{m.code} ({status_name(m.status)})" for m in dossiers)

        others = listed(partners)
        self._partners_open = listed([m for m in partners if m.status not in FINAL])
        if others:
            line = t("lookup.bundle", dossiers=others)
            self.query_one("#lookup-detail", Static).update(f"{self._detail}\n{line}")

    # --- notices to the citizen (desk.notify) ------------------------------------

    @work(thread=True, exclusive=True, group="notices", exit_on_error=False)
    def load_notices(self, dossier_id: int) -> None:
        from desk.notify.notices import notices_of

        notices = notices_of(self.runtime.engine, dossier_id)
        self.app.call_from_thread(self._show_notices, dossier_id, notices)

    def _show_notices(self, dossier_id: int, notices: list[NoticeView]) -> None:
        if self.current is None or self.current.id != dossier_id:
            return
        self.notices = notices
        lines = [t("notify.heading")]
        if self.runtime.config.notify.channel == "off":
            lines.append(t("notify.off"))
        elif not notices:
            lines.append(t("notify.none"))
        for n in notices:
            if n.state == "sent" and n.sent_at is not None:
                state = t("notify.state_sent", at=_when(n.sent_at))
            elif n.state == "failed":
                state = t("notify.state_failed", why=n.last_error)
            else:
                state = t(f"notify.state_{n.state}")
                if n.last_error:
                    state += f" ({n.last_error})"
            lines.append(
                "· "
                + t(
                    "notify.line",
                    event=t(f"notify.event_{n.event}"),
                    channel=n.channel,
                    state=state,
                    attempts=n.attempts,
                )
            )
        self.query_one("#lookup-notices", Static).update("\n".join(lines))

    def action_resend_notice(self) -> None:
        current = self.current
        if current is None:
            return
        done = [n for n in self.notices if n.state in ("sent", "failed")]
        if not done:
            self._note(t("notify.nothing_to_resend"), True)
            return
        self.resend_notice(current.id, done[-1].id)

    @work(thread=True, group="notices", exit_on_error=False)
    def resend_notice(self, dossier_id: int, notice_id: int) -> None:
        from desk.errors import DeskError
        from desk.notify.notices import notices_of, resend

        try:
            resend(self.runtime.engine, self.runtime.config, notice_id)
        except DeskError as exc:
            self.app.call_from_thread(self._note, str(exc), True)
            return
        notices = notices_of(self.runtime.engine, dossier_id)
        self.app.call_from_thread(self._show_notices, dossier_id, notices)
        self.app.call_from_thread(self._note, t("notify.resent"), False)

    # --- transitions ---------------------------------------------------------------

    def action_return_result(self) -> None:
        if self.refused("return_result"):
            return
        current = self.current
        if current is None:
            return

        def chosen(name: str | None) -> None:
            if name:
                self.transition("return", current.code, name)

        by_post = current.result_delivery == "post"
        dialog = ReceiverDialog(current.applicant_name, by_post, self._partners_open)
        self.app.push_screen(dialog, chosen)

    def action_resolve(self) -> None:
        """Asks first: a result marked ready by mistake cannot be taken back, and the
        citizen may be sent a message to come and collect it."""
        if self.refused("resolve"):
            return
        current = self.current
        if current is None:
            return
        hint = t("lifecycle.resolve_hint")
        if will_notify(self.runtime.config, current.applicant_phone):
            hint = f"{t('lifecycle.resolve_notice')} {hint}"

        def answered(ready: bool | None) -> None:
            if ready:
                self.transition("resolve", current.code)

        self.app.push_screen(
            Confirm(t("lifecycle.resolve_title", code=current.code), hint), answered
        )

    def action_start(self) -> None:
        if self.refused("start"):
            return
        if self.current:
            self.transition("start", self.current.code)

    def action_reprint(self) -> None:
        if self.refused("reprint"):
            return
        if self.current:
            self.list_documents(self.current.id)

    @work(thread=True, group="print", exit_on_error=False)
    def list_documents(self, dossier_id: int) -> None:
        from desk.printing.jobs import jobs_for_dossier

        jobs = jobs_for_dossier(self.runtime.engine, dossier_id)
        self.app.call_from_thread(self._choose_document, jobs)

    def _choose_document(self, jobs: list[JobView]) -> None:
        if not jobs:
            self._note(t("everyday.lookup.nothing_to_reprint"), True)
            return
        # at 80 columns a line breaks between the parts, never inside the time or
        # the "(chờ in)" after it
        options = [
            (
                str(job.id),
                Phrases(
                    [
                        t(f"print.kind_{job.kind}") if job.kind in KINDS else job.kind,
                        # each slip its own number (a dossier may have two Mẫu 02): the
                        # part after the dossier's code, which every document here shares
                        *([f"…{job.number.removeprefix(job.code)}"] if job.number else []),
                        moment_text(job.created_at),
                        f"({job_status_name(job.status)})",
                    ],
                    separator="  ",
                ),
            )
            for job in reversed(jobs)
        ]

        by_id = {str(job.id): job for job in jobs}

        def chosen(job_id: str | None) -> None:
            if job_id:
                job = by_id[job_id]
                self.reprint(job.id, job.number or job.code)

        self.app.push_screen(ChooseDialog(t("print.choose"), options), chosen)

    @work(thread=True, group="print", exit_on_error=False)
    def reprint(self, job_id: int, number: str) -> None:
        """Print a past document of the dossier again (its job if it still waits in
        the queue, else a new job; the old one stays); the message names the slip
        by ``number`` (its "Số", or the dossier's code for a receipt)."""
        from desk.printing.jobs import reprint
        from desk.printing.transport import printout_message

        runtime = self.runtime
        result = reprint(runtime.engine, runtime.config, job_id)
        error = None if result.ok else result.message
        again = t("counterfix.again_reprint")
        what = t("printout.numbered", number=number)
        printer = runtime.config.printer
        message = printout_message(printer, what, error, again, result.written)
        self.app.call_from_thread(self._note, message, not result.ok)

    def _note(self, message: str, error: bool) -> None:
        msg = self.query_one("#lookup-message", Static)
        msg.update(message)
        msg.set_class(error, "-error")

    def action_supplement(self) -> None:
        if self.refused("supplement"):
            return
        current = self.current
        if current is None:
            return
        officer = self.desk.officer
        earlier = supplement_requests(self.runtime.engine, current.code)
        again = earlier + 1

        def check(values: list[str]) -> tuple[int, str] | None:
            """Refused in the dialog, everything typed kept (NĐ 61: all at once)."""
            if not [i for i in values[0].split(";") if clean(i)]:
                return 0, t("dossier.items_required")
            if earlier and not is_worded(clean(values[1])):
                return 1, t("lifecycle.again_reason", count=again)
            return None

        def chosen(values: list[str] | None) -> None:
            if not values:
                return
            if earlier and not (officer and officer.can("supervisor")):
                # a second request: a supervisor approves it here; a refused approval
                # keeps its dialog open, and Esc there goes back to what was typed
                def approved(approver: Actor | None) -> None:
                    if approver is not None:
                        self.transition("supplement", current.code, *values, approver=approver)
                    else:
                        reopen(values)

                why = t("lifecycle.approval_why", code=current.code)
                refused = t("lifecycle.again_approval", count=again)
                self.app.push_screen(ApprovalDialog(why, "supervisor", refused), approved)
                return
            self.transition("supplement", current.code, *values)

        def reopen(values: list[str] | None = None) -> None:
            labels = [t("lookup.supplement_items"), t("lookup.reason")]
            dialog = FieldsDialog(t("lookup.supplement_title"), labels, check, values)
            self.app.push_screen(dialog, chosen)

        reopen()

    def action_resume(self) -> None:
        """Asks first: F6 is the counter's intake key, and pressed here from habit it
        restarted the dossier's clock at once (walk, 2 Dec)."""
        if self.refused("resume"):
            return
        current = self.current
        if current is None:
            return

        def answered(resume: bool | None) -> None:
            if resume:
                self.transition("resume", current.code)

        title = t("lifecycle.resume_title", code=current.code)
        self.app.push_screen(Confirm(title, t("lifecycle.resume_hint")), answered)

    def action_refuse(self) -> None:
        if self.refused("refuse"):
            return
        current = self.current
        if current is None:
            return

        def chosen(values: list[str] | None) -> None:
            if values:
                self.transition("refuse", current.code, *values, again=partial(ask, values))

        def check(values: list[str]) -> tuple[int, str] | None:
            problem = reason_problem(values[0], worded=True)
            return None if problem is None else (0, problem)

        def ask(values: list[str] | None = None, problem: str | None = None) -> None:
            """The dialog, again with what was typed when the step refused it."""
            refused = None if problem is None else (0, problem)
            labels = [t("lookup.reason")]
            dialog = FieldsDialog(t("lookup.refuse_title"), labels, check, values, refused)
            self.app.push_screen(dialog, chosen)

        ask()

    def action_extend(self) -> None:
        if self.refused("extend"):
            return
        current = self.current
        if current is None:
            return

        def chosen(values: list[str] | None) -> None:
            if values:
                self.transition("extend", current.code, *values, again=partial(ask, values))

        def check(values: list[str]) -> tuple[int, str] | None:
            try:
                parse_due(values[0])
            except ValueError as exc:
                return 0, str(exc)
            problem = reason_problem(values[1])
            return None if problem is None else (1, problem)

        def ask(values: list[str] | None = None, problem: str | None = None) -> None:
            """The dialog, again with what was typed when the step refused it (the
            new date not after the old one, or a day off: its first field's)."""
            refused = None if problem is None else (0, problem)
            labels = [t("lookup.new_due"), t("lookup.reason")]
            dialog = FieldsDialog(t("lookup.extend_title"), labels, check, values, refused)
            self.app.push_screen(dialog, chosen)

        ask()

    @work(thread=True, group="transition", exit_on_error=False)
    def transition(
        self,
        action: str,
        code: str,
        *values: str,
        approver: Actor | None = None,
        again: Callable[[str], object] | None = None,
    ) -> None:
        """The step ``action`` on the dossier ``code``; a step it refuses is said on
        the look-up, or, for what was typed (:class:`TypedRefused`) and given
        ``again``, in its dialog opened again with the refusal, what was typed kept."""
        life = Lifecycle(self.runtime.engine, self.runtime.config)
        document: Document | None = None
        officer = self.desk.officer
        oid = officer.id if officer else None
        name = officer.full_name if officer else ""
        try:
            if action == "return":
                view = life.return_result(code, values[0], oid)
            elif action == "resolve":
                view = life.resolve(code, oid)
            elif action == "resume":
                view = life.resume(code, oid)
            elif action == "supplement":
                items = [i for i in values[0].split(";") if i.strip()]
                view, document = life.request_supplement(
                    code, items, values[1], oid, name, approved_by=approver or officer
                )
            elif action == "refuse":
                view, document = life.refuse(code, values[0], oid, name)
            elif action == "extend":
                try:
                    new_due = parse_due(values[0])
                except ValueError as exc:
                    raise DossierError(str(exc)) from None
                view, document = life.extend(code, new_due, values[1], oid, name)
            else:
                view = life.start(code, oid)
        except DossierError as exc:
            # what was typed, its dialog takes again; the rest the look-up says
            mend = again if isinstance(exc, TypedRefused) else None
            self.app.call_from_thread(mend or self._failed, str(exc))
            return
        if document is not None:
            with contextlib.suppress(OSError):
                write_document_preview(self.runtime.config, document)
        self.app.call_from_thread(self._changed, view, document, life.queued)

    def _failed(self, message: str) -> None:
        msg = self.query_one("#lookup-message", Static)
        msg.update(message)
        msg.add_class("-error")

    def show_failure(self, message: str) -> None:
        self._failed(message)

    def _changed(
        self, view: DossierView, document: Document | None = None, jobs: list[int] | None = None
    ) -> None:
        """``jobs``: the print job of ``document``, printed from its preview (Enter / F2)."""
        self._show(view)
        msg = self.query_one("#lookup-message", Static)
        msg.remove_class("-error")
        if view.status == "returned":
            msg.update(t("lookup.returned", code=view.code, name=view.returned_to))
        else:
            msg.update(t("lookup.changed", code=view.code, status=status_name(view.status)))
        query = self.query_one("#lookup-query", Input)
        query.value = ""
        query.focus()
        if document is not None:
            from screens.intake import ReceiptView

            self.app.push_screen(ReceiptView([document], jobs))

    def action_leave(self) -> None:
        """Esc: from the list of dossiers found, back to the query (to search again;
        it left the look-up, the query lost; walk, 2 Dec); from a dossier chosen in
        such a list, back to the list; else back to the counter."""
        results = self.query_one("#lookup-results", OptionList)
        if results.display:
            results.display = False
            self.query_one("#lookup-message", Static).update("")
            self.query_one("#lookup-query", Input).focus()
            return
        if self._list_query is not None and self.current is not None:
            # a dossier chosen from a list: back to that list (read again, its
            # statuses as they are now), the dossier highlighted; it left F8 (walk)
            self._back_to = self.current.code
            self.search(self._list_query)
            return
        self.app.pop_screen()
