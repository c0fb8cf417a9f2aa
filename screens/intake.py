"""Intake form (F6 at the counter): procedure → applicant → submitter → channel →
components → sets, time, fee → result delivery → notes.

Keyboard only. The procedure field searches the catalogue on every keystroke
(↑↓ move in the list, Enter takes the entry and moves on); Enter in any other
field moves to the next one; Tab / Shift+Tab walk the same order. Ctrl+S saves
from any field: problems appear in plain words under their fields and nothing is
saved until they are fixed. Esc asks before throwing away a form with typing in
it. A saved intake shows its receipt (Mẫu 01).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import re
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from desk import clock
from desk.dossiers.forms import Document, days_text, money_text
from desk.dossiers.identity import Problem
from desk.dossiers.intake import (
    ComponentInput,
    IntakeError,
    IntakeInput,
    ProcedureInfo,
    SavedDossier,
    affected_by,
    check_intake,
    checked_field,
    fee_field,
    is_bundle_fee,
    planned_days,
    procedure_info,
    procedures_for,
    recheck_intake,
    save_intake,
)
from desk.dossiers.search import CatalogueIndex, matching_bundles, shared_index
from desk.i18n import moment_text, t
from desk.queue.views import TicketView, ticket_label
from desk.text import fold
from screens import textual_compat
from screens.base import DeskModal, DeskScreen
from screens.confirm import Confirm
from screens.header import DeskHeader
from screens.keybar import KeyBar
from screens.phrases import NAME_BREAK, Hanging, PhraseLine
from screens.scan import IntakeScanFill, ScanCatcher
from screens.syncbadge import SyncBadge
from screens.typeahead import after_typed_keys


def fee_text(fee: int | None) -> str:
    """A fee field filled from the catalogue: its amount, or empty for none (0)."""
    return money_text(fee) if fee else ""


COMPONENT_CELL = re.compile(r"c(\d+)-(orig|cert|photo|scan)")
"""A paper's count (or its scanned box) in the components grid: row and column."""

DEFAULT_CHOICES = {"channel": "direct", "payment_method": "cash", "result_delivery": "desk"}
"""Each choice list's value on a new form."""

TEXT_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_birth_year",
    "applicant_phone",
    "applicant_address",
    "applicant_email",
    "submitter_name",
    "submitter_id_number",
    "submitter_phone",
)

FORM_FIELDS = (*TEXT_FIELDS, "procedure", "sets", "processing_days", "fee", "notes")
"""Every typed field of the form but the components' counts."""


@dataclass(frozen=True)
class IntakeResult:
    saved: list[SavedDossier]


class ConfirmDiscard(Confirm):
    """Esc on a form with something typed: drop the dossier?"""

    def __init__(self) -> None:
        super().__init__(t("intake.discard_title"), t("intake.discard_hint"))


def preview_title(documents: list[Document]) -> str:
    """The preview's title names its form: a receipt, a supplement request (Mẫu 02),
    a refusal (03) or an apology with a new date (04)."""
    kind = documents[0].kind if documents else "receipt"
    return t("intake.receipt_title") if kind == "receipt" else t(f"forms.preview_{kind}")


def paper_view(document: Document, width: int) -> Static:
    """The document as the paper prints it, every copy, row for row as its preview
    file (:func:`desk.printing.preview.paper_rows`, the printer's own layout at the
    paper's ``width``): the same words, order and line breaks, bold where the paper is.
    The QR code, an image on paper, shows as "[QR]" over what it holds, as in the
    preview. The block is as wide as its longest row (a word longer than the paper
    stays whole on paper, so here too) and never wraps: the terminal's width does not
    break its lines again; a narrow terminal scrolls it sideways."""
    from rich.cells import cell_len

    from desk.printing.preview import paper_rows

    rows = paper_rows(document, width)
    shown = Text(end="")
    for i, row in enumerate(rows):
        shown.append(row.text, style="bold" if row.bold else "")
        if i < len(rows) - 1:
            shown.append("\n")
    view = Static(shown, classes="receipt-text")
    view.styles.width = max([width, *(cell_len(row.text) for row in rows)])
    return view


class ReceiptView(DeskModal[None]):
    """The documents as they will be printed, then printed on Enter / F2.

    With ``jobs`` (print-job ids) the officer prints from here; a fault shows its
    message and R tries again. Esc closes; an unprinted job stays in the print
    queue (``desk print queue``) and can be printed later from F8 with Ctrl+P."""

    printing: var[bool] = var(False)
    """A print is under way: the print key says so and waits."""

    BINDINGS = [
        Binding("enter,f2", "print", "keys.print"),
        Binding("r", "print", "keys.retry", show=False),
        # "Đóng", as the hint under the paper says ("Esc: đóng"): the bar said "Quay lại"
        Binding("escape", "close", "keys.close"),
    ]

    def __init__(
        self, documents: list[Document], jobs: list[int] | None = None, width: int | None = None
    ) -> None:
        """``width``: the paper's columns, when the caller has read them off the UI
        thread (the printer profile's first read takes a while)."""
        super().__init__(classes="receipt-view")
        self.documents = documents
        self.jobs = jobs or []
        self.printed: set[int] = set()
        self.width = width

    def compose(self) -> ComposeResult:
        from desk.printing.preview import paper_columns

        # the columns of the configured paper and profile: the lines break as on paper
        width = self.width or paper_columns(self.desk.runtime.config)
        with VerticalScroll(id="receipt-scroll"):
            yield Static(preview_title(self.documents), classes="dialog-title")
            for doc in self.documents:
                yield paper_view(doc, width)
        # outside the scroll: read wherever the officer has scrolled to
        yield Static(t("print.print_hint") if self.jobs else "", id="receipt-status", markup=False)
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "print":  # no job: no print key at all; printing: it says so
            return bool(self.jobs)
        return True

    def action_print(self) -> None:
        if not self.jobs:
            return
        if self.printing:  # it did nothing and said nothing while a print was under way
            self.query_one("#receipt-status", Static).update(t("print.busy"))
            return
        self.printing = True
        self._print([j for j in self.jobs if j not in self.printed])

    @work(thread=True, exclusive=True, group="print", exit_on_error=False)
    def _print(self, jobs: list[int]) -> None:
        from desk.printing.jobs import print_job

        runtime = self.desk.runtime
        errors = []
        written = []
        for job in jobs:
            result = print_job(runtime.engine, runtime.config, job)
            if result.ok:
                self.printed.add(job)
                written.append(result.written)
            else:
                errors.append(result.message)
        self.app.call_from_thread(self._done, errors, written)

    def _done(self, errors: list[str], written: list[str]) -> None:
        """The officer reads where the receipt went: to the named printer (with no
        real printer: the preview file, or its folder for several), or to the print
        queue with the printer's fault."""
        from pathlib import Path

        from desk.printing.transport import printout_message

        self.printing = False
        status = self.query_one("#receipt-status", Static)
        error = errors[0] if errors else None
        again = t("counterfix.again_receipt")
        printer = self.runtime.config.printer
        kind = self.documents[0].kind if self.documents else "receipt"
        title = preview_title(self.documents)
        what = t("print.receipt") if kind == "receipt" else title[:1].lower() + title[1:]
        where = written[0] if len(written) == 1 else str(Path(written[0]).parent) if written else ""
        status.update(printout_message(printer, what, error, again, where))
        status.set_class(error is not None, "-error")

    def action_close(self) -> None:
        self.dismiss(None)


class FormInput(ScanCatcher, Input):
    """An intake field whose Enter moves on at once (see IntakeScreen.field_entered)."""

    label_text = ""
    """The field's label, named when it refuses a key (full: :meth:`restricted`)."""

    async def action_submit(self) -> None:
        screen = self.screen
        if isinstance(screen, IntakeScreen):
            screen.field_entered(self)

    _typed = ""
    """The text of the last edit asked of the field (a key, a paste)."""

    def replace(self, text: str, start: int, end: int) -> None:
        self._typed = text
        super().replace(text, start, end)

    def restricted(self) -> None:
        """A key the field refuses says why on the form's message line: what the field
        does not take (a letter in a count), else that it is full (a 193-letter name
        stopped at 100 with only a bell, unheard at a counter)."""
        screen = self.screen
        if not isinstance(screen, IntakeScreen) or not self.label_text:
            super().restricted()
        elif self.restrict and re.fullmatch(self.restrict, self._typed) is None:
            screen.say_refused(t("intake.field_digits", field=self.label_text))
        else:
            screen.say_refused(t("intake.field_full", field=self.label_text, count=self.max_length))


class FormScroll(VerticalScroll, inherit_bindings=False):
    """The form's scrolling column. PageUp and PageDown scroll it; ↑ and ↓ are the
    screen's (the procedure list's highlight, or the next or previous field), which
    VerticalScroll's own bindings took first for scrolling: the officer could never
    move off the first hit of the list."""

    BINDINGS = [
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
    ]


class IntakeScreen(IntakeScanFill, textual_compat.KeepStylesOnResume, DeskScreen):
    AUTO_FOCUS = "#procedure"
    TAKES_TYPE_AHEAD = True
    """What is typed while it opens from the counter comes to it (screens.typeahead)."""
    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save", id="intake.save", priority=True),
        Binding("escape", "leave", "keys.back", id="intake.leave"),
        # F1 names them too (it listed only Ctrl+S, Esc and F1): Enter moves on like Tab
        # acting when the app reads them (priority), as the sign-in's: typed in one burst
        # (a quick officer, a paste, one packet over SSH) the keys after a Tab went on
        # in the field before it ("Số 7abc@x.vn" in the address, the e-mail empty)
        Binding("tab", "app.focus_next", "keys.next_field", show=False, priority=True),
        # Enter too, from a field whose Enter only moves on ("3", Enter, "4" typed at
        # once put 34 in the originals; walk, 2 Dec); the procedure's Enter reads what
        # was typed, and the lists' and boxes' Enter are their own (enter_field)
        Binding("enter", "enter_field", "keys.next_field", show=False, priority=True),
        Binding(
            "shift+tab", "app.focus_previous", "keys.previous_field", show=False, priority=True
        ),
        Binding("down", "move(1)", "keys.choose_procedure", show=False),
        Binding("up", "move(-1)", "keys.choose_procedure", show=False),
    ]

    def __init__(self, ticket: TicketView | None = None, counter: int | None = None) -> None:
        super().__init__(classes="intake")
        self.ticket = ticket
        self.counter = counter
        self.procedures: list[ProcedureInfo] = []
        self.bundle = ""
        self.index: CatalogueIndex | None = None
        self.saving = False
        self.choosing = False
        """A chosen procedure is being read: Ctrl+S waits for it."""
        self.saved: list[SavedDossier] | None = None
        self._generation = 0
        self._searched: str | None = None
        """The query the procedure list shows the hits of."""
        """Counts the dossiers this form has been reset for (a reused form): the
        answer of a worker started for an earlier dossier is dropped."""
        self._choice = 0
        """Counts the procedures chosen (and the resets): the components of an
        earlier choice are not built once a newer one is under way."""
        self._components_lock = asyncio.Lock()
        """One rebuild of the components list at a time: the old rows are gone
        (awaited) before the new ones, which reuse their ids, are mounted."""
        self._ready = False
        self._problems: list[Problem] = []
        """The problems shown under their fields (as Ctrl+S found them, and since
        then as an edit of their field found them again)."""
        self._live: set[str] = set()
        """The fields (:func:`checked_field` names) that had a problem at the last
        Ctrl+S: until the next one, an edit that can change what is said of them
        checks them again at once. Before the first Ctrl+S, and for a field that
        was right then, typing shows no problem (a half-typed number is not one)."""
        self._edited_while_choosing: set[str] = set()
        """Fields edited while a chosen procedure was read: checked once it is in."""
        self._count_text = ""
        """The form's message as the problem count last wrote it."""
        self._fee_filled = ""
        """What the fee field was last filled with from the catalogue: replaced when
        another procedure is chosen, unless the officer typed over it."""
        self._key_notice: str | None = None
        """A refused key's words on the form's message line (:meth:`say_refused`), until
        the next key a field takes."""

    # --- layout ------------------------------------------------------------------

    def _title(self) -> str:
        ticket = self.ticket
        numbering = self.runtime.config.priority.numbering
        which = (
            t("intake.ticket", number=ticket_label(ticket.number, ticket.is_priority, numbering))
            if ticket
            else t("intake.standalone")
        )
        return f"{t('intake.title')} · {which}"

    def compose(self) -> ComposeResult:
        yield DeskHeader()  # as on the counter and its dialogs
        yield SyncBadge()
        yield Static(self._title(), id="intake-title", markup=False)
        with FormScroll(id="intake-form") as scroll:
            scroll.can_focus = False
            yield Static(t("intake.procedure"), classes="label")
            yield FormInput(placeholder=t("intake.procedure_hint"), id="procedure", compact=True)
            results = OptionList(id="procedure-results", markup=False)
            results.can_focus = False
            yield results
            yield Static("", id="procedure-chosen", markup=False)
            yield Static("", id="err-procedure", classes="field-error", markup=False)

            yield Static(t("intake.applicant"), classes="section")
            yield from self._field("applicant_name", "intake.name", 100)
            with Horizontal(classes="row"):
                with Vertical():
                    yield from self._field("applicant_id_number", "intake.id_number", 16)
                with Vertical():
                    yield from self._field("applicant_birth_year", "intake.birth_year", 4)
                with Vertical():
                    yield from self._field("applicant_phone", "intake.phone", 20)
            yield from self._field("applicant_address", "intake.address", 300)
            yield from self._field("applicant_email", "intake.email", 254)

            yield Static(t("intake.submitter"), classes="section")
            with Horizontal(classes="row"):
                with Vertical():
                    yield from self._field("submitter_name", "intake.name", 100)
                with Vertical():
                    yield from self._field("submitter_id_number", "intake.id_number", 16)
                with Vertical():
                    yield from self._field("submitter_phone", "intake.phone", 20)

            yield Static(t("intake.channel"), classes="label")
            yield textual_compat.DeskSelect(
                [(t(f"intake.channel_{c}"), c) for c in ("direct", "online", "postal")],
                value=DEFAULT_CHOICES["channel"],
                allow_blank=False,
                compact=True,
                id="channel",
            )
            yield Static("", id="err-channel", classes="field-error", markup=False)

            yield Static(t("intake.components"), classes="section")
            yield Vertical(id="components")
            yield Static("", id="err-components", classes="field-error", markup=False)

            with Horizontal(classes="row"):
                with Vertical():
                    yield from self._field("sets", "intake.sets", 2, value="1")
                with Vertical(id="days-box"):
                    yield from self._field("processing_days", "intake.days", 6)
                with Vertical():
                    yield from self._field("fee", "intake.fee", 14)
            # a linked bundle's further dossiers' fees, each its own (_build_components)
            yield Horizontal(id="bundle-fees", classes="row")
            yield Static("", id="days-known", markup=False)
            yield Static("", id="fee-note", markup=False)
            yield Static(t("intake.payment"), classes="label")
            yield textual_compat.DeskSelect(
                [(t(f"intake.payment_{p}"), p) for p in ("cash", "transfer", "postal", "online")],
                value=DEFAULT_CHOICES["payment_method"],
                allow_blank=False,
                compact=True,
                id="payment_method",
            )
            yield Static(t("intake.delivery"), classes="label")
            yield textual_compat.DeskSelect(
                [(t(f"intake.delivery_{d}"), d) for d in ("desk", "post")],
                value=DEFAULT_CHOICES["result_delivery"],
                allow_blank=False,
                compact=True,
                id="result_delivery",
            )
            yield Static("", id="err-result_delivery", classes="field-error", markup=False)
            yield from self._field("notes", "intake.notes", 500)
        yield Static("", id="intake-message", markup=False)
        yield KeyBar()

    def _field(
        self, name: str, label: str, max_length: int, value: str = "", head: str = ""
    ) -> ComposeResult:
        """A labelled field and the place for its problems; ``head`` goes before the
        label (a bundle's fee names its procedure)."""
        yield Static(head + t(label), id=f"label-{name}", classes="label")
        field = FormInput(value=value, id=name, max_length=max_length, compact=True)
        field.label_text = head + t(label)
        yield field
        yield Static("", id=f"err-{name}", classes="field-error", markup=False)

    def _bundle_fees(self) -> list[Vertical]:
        """A fee field for each procedure of a linked bundle after the first (whose
        fee is ``#fee``): ``#fee_1``, ``#fee_2``…, each with the catalogue's fee."""
        return [
            Vertical(
                *self._field(fee_field(n), "intake.fee", 14, fee_text(p.fee_vnd), f"{p.code}: ")
            )
            for n, p in enumerate(self.procedures[1:], start=1)
        ]

    def on_mount(self) -> None:
        self.query_one("#days-box").display = False
        self.query_one("#procedure-results").display = False
        self.watch(self, "focused", self._focus_moved, init=False)
        # reset() may have named another ticket while the form was being composed
        self.query_one("#intake-title", Static).update(self._title())
        self._ready = True
        self.load_index()
        if self not in self.app.screen_stack:
            # built ahead by the counter: what lives now lives as long as the counter
            # (modules, the screens built once); the cyclic collector stops walking
            # it on each full collection, pauses of up to a third of a second on a
            # loaded machine that made the p99 of F6 and Ctrl+S. The garbage of the
            # start and the sign-in is collected first: frozen, it would stay all day
            # (the bench's counter day, 1.2 MB less at its end)
            gc.collect()
            gc.freeze()

    @property
    def ready(self) -> bool:
        """Composed and mounted."""
        return self._ready

    def reset(self, ticket: TicketView | None) -> None:
        """Make a reused form new for the next dossier (the counter builds its form
        once, while idle, and F6 only resets and shows it): every field, list,
        message and choice of the last dossier goes, the catalogue is checked again
        (an admin's edits show), and the procedure field has the focus."""
        self.ticket = ticket
        self._generation += 1
        self._choice += 1
        self.procedures = []
        self.bundle = ""
        self.saving = False
        self.choosing = False
        self.saved = None
        for group in ("choose", "save", "index"):
            self.workers.cancel_group(self, group)
        if not self._ready:
            return  # still being composed: on_mount shows this ticket's title
        self.query_one("#intake-title", Static).update(self._title())
        for name in FORM_FIELDS:
            field = self.query_one(f"#{name}", Input)
            field.value = "1" if name == "sets" else ""
        textual_compat.remove_children(self.query_one("#components", Vertical))
        textual_compat.remove_children(self.query_one("#bundle-fees", Horizontal))
        self._name_fee("")
        for select_id, value in DEFAULT_CHOICES.items():
            self.query_one(f"#{select_id}", Select).value = value
        self._clear_results()
        self.query_one("#procedure-chosen", Static).update("")
        self.query_one("#days-known", Static).update("")
        self.query_one("#fee-note", Static).update("")
        self.query_one("#days-box").display = False
        for err in self.query(".field-error").results(Static):
            err.update("")
            err.remove_class("-warning", "-shown")
        self._problems = []
        self._live = set()
        self._edited_while_choosing = set()
        self._count_text = ""
        self._fee_filled = ""
        message = self.query_one("#intake-message", Static)
        message.update("")
        message.remove_class("-error")
        self.query_one("#intake-form", VerticalScroll).scroll_home(animate=False, immediate=True)
        self.set_focus(self.query_one("#procedure", Input), scroll_visible=False)
        self.load_index()

    def on_screen_resume(self) -> None:
        self.query_one(SyncBadge).poll()  # it does not read while the form is hidden
        type_ahead = self.desk.type_ahead
        if type_ahead.catching:  # shown from the counter's F6: what was typed meanwhile
            field = self.query_one("#procedure", Input)
            self.set_focus(field, scroll_visible=False)
            type_ahead.deliver(field)

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def load_index(self) -> None:
        from desk.dossiers.identity import preload
        from desk.printing.render import paper_of

        generation = self._generation
        index = shared_index(self.runtime.engine)  # rebuilt only when the catalogue changed
        self.app.call_from_thread(self._index_ready, index, generation)
        # what the first Ctrl+S and receipt would otherwise load on the UI thread
        # (each cached once per process)
        preload()
        paper_of(self.runtime.config.printer)

    def _index_ready(self, index: CatalogueIndex, generation: int) -> None:
        if generation != self._generation:
            return
        self.index = index
        query = self.query_one("#procedure", Input).value
        if query:
            self._search(query)

    # --- procedure search ----------------------------------------------------------

    @on(Input.Changed, "#procedure")
    def _procedure_typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def _search(self, query: str) -> None:
        self._searched = query
        results = self.query_one("#procedure-results", OptionList)
        results.clear_options()
        results.display = bool(query.strip())
        self._form_bar()
        if self.index is None or not query.strip():
            return
        options: list[Option] = []
        folded = fold(query)
        lang_en = self.runtime.config.ui.language == "en"
        hits = self.index.search(query, limit=8)
        for hit in hits:
            alias = f" ← {hit.matched_alias}" if hit.matched_alias else ""
            # a long name goes on under itself, the codes stay a column of their own
            entry = Hanging(f"{hit.code}{alias}  ", hit.name)
            options.append(Option(entry, id=f"proc:{hit.code}"))
        bundles = matching_bundles(self.index, query, self.runtime.config.intake.bundles, hits)
        linked = [
            Option(Hanging("⇶ ", b.name_en if lang_en else b.name_vi), id=f"bundle:{b.code}")
            for b in self.runtime.config.intake.bundles
            if b in bundles or folded in fold("lien thong " + b.code)
        ]
        options[1:1] = linked  # right after the lead procedure, where the officer looks
        if options:
            results.add_options(options)
            results.highlighted = 0
        else:
            results.add_option(Option(t("intake.no_match"), id="none", disabled=True))

    def _clear_results(self) -> None:
        """The procedure list emptied and hidden: Enter searches again."""
        results = self.query_one("#procedure-results", OptionList)
        results.clear_options()
        results.display = False
        self._searched = None
        self._form_bar()

    def _form_bar(self) -> None:
        """The form's own scroll bar hides while the procedure list is open under the
        focused procedure field: the list scrolls with its own bar, inside its
        border; the form's bar ran down beside it (at 80x24 its thumb ended on the
        list's bottom border row, a piece of bar outside the list's corner)."""
        listing = self.query_one("#procedure-results").display and (
            self.focused is not None and self.focused.id == "procedure"
        )
        self.query_one("#intake-form").set_class(listing, "-listing")

    def action_move(self, step: int) -> None:
        if self.focused is not None and self.focused.id == "procedure":
            results = self.query_one("#procedure-results", OptionList)
            if results.option_count:
                current = results.highlighted or 0
                results.highlighted = max(0, min(results.option_count - 1, current + step))
            return
        cell = COMPONENT_CELL.fullmatch(self.focused.id or "") if self.focused else None
        if cell is not None:  # the papers' counts are a grid: ↑/↓ keep the column
            row, column = int(cell[1]), cell[2]
            above_or_below = self.query(f"#c{row + step}-{column}")
            if above_or_below:
                self.set_focus(above_or_below.first())
                return
            # past the first or last paper: on to the field before or after the grid
            self.set_focus(self.query_one(f"#c{row}-{'scan' if step > 0 else 'orig'}"))
        moved = self.focus_next() if step > 0 else self.focus_previous()
        entered = COMPONENT_CELL.fullmatch(moved.id or "") if moved is not None else None
        if cell is None and entered is not None:
            # into the grid from below: its last paper's first count, not its box
            self.set_focus(self.query_one(f"#c{entered[1]}-orig"))

    def action_enter_field(self) -> None:
        """Enter, as the app reads it: in a form field that only moves on, to the next
        field at once, so the keys typed after it land there; elsewhere (the
        procedure, a list, a box, a dialog over the form), and at the end of a
        scanned CCCD's line, the key goes on as usual."""
        # a CCCD's line (it holds "|") ends with the scanner's Enter: the field's own
        scanned, self.desk.bar_read = self.desk.bar_read, False
        focused = self.focused
        if (
            not scanned
            and self.app.screen is self
            and isinstance(focused, (FormInput, Checkbox))
            and (focused.id or "") != "procedure"
        ):
            self.focus_next()  # a box is ticked with Space: Enter moves on, as elsewhere
            return
        raise SkipAction()

    def field_entered(self, field: Input) -> None:
        """Enter in a field: take the highlighted procedure, then go to the next field.

        Runs while the key is handled (not later, from a message), so keys typed
        right after Enter already land in the next field."""
        if field.id == "procedure":
            if self.index is None:
                return
            if field.value != self._searched:  # typed faster than the list followed
                self._search(field.value)
            results = self.query_one("#procedure-results", OptionList)
            if results.highlighted is None:
                return
            option = results.get_option_at_index(results.highlighted)
            if not option.id or option.id == "none":
                return
            self._choose(option.id)
        self.focus_next()

    def _choose(self, option_id: str) -> None:
        """Take a search hit: its procedures are read in a worker, off the UI thread."""
        self.choosing = True
        self._choice += 1
        self.load_choice(option_id, self._choice)

    @work(thread=True, exclusive=True, group="choose", exit_on_error=False)
    def load_choice(self, option_id: str, choice: int) -> None:
        generation = self._generation
        kind, _, value = option_id.partition(":")
        config = self.runtime.config
        try:
            if kind == "bundle":
                found = procedures_for(self.runtime.engine, config, IntakeInput(bundle=value))
            else:
                info = procedure_info(self.runtime.engine, value)
                found = [info] if info else []
        except IntakeError as exc:
            found, error = [], str(exc)
        except Exception as exc:  # a database error: logged, shown, the old rows go
            self.app.call_from_thread(
                self._choice_failed,  # type: ignore[arg-type]
                exc,
                generation,
                choice,
            )
            return
        else:
            error = ""
        # waits until the components are built (an async callback is awaited);
        # mypy cannot solve call_from_thread's `T | Awaitable[T]` for a coroutine
        self.app.call_from_thread(
            self._chosen,  # type: ignore[arg-type]
            kind,
            value,
            found,
            error,
            generation,
            choice,
        )

    async def _chosen(
        self,
        kind: str,
        value: str,
        found: list[ProcedureInfo],
        error: str,
        generation: int,
        choice: int,
    ) -> None:
        if generation != self._generation or choice != self._choice:
            return  # chosen for an earlier dossier of this reused form, or chosen again
        config = self.runtime.config
        chosen = self.query_one("#procedure-chosen", Static)
        if error:  # nothing of the procedure chosen before stays: its name, rows, time
            self.procedures = []
            self.bundle = ""
            chosen.update("")
            await self._build_components(choice, rows=False)
            self._show_time_and_fee()
            self.choosing = False
            self._edited_while_choosing = set()
            self._show_problems([Problem("procedure", error)])
            return
        self.procedures = found
        if kind == "bundle":
            self.bundle = value
            bundle = config.bundle(value)
            name = bundle.name_en if config.ui.language == "en" else bundle.name_vi
            chosen.update(
                t("intake.bundle_chosen", name=name)
                + "\n"
                + "\n".join(f"  {p.code} — {p.name}" for p in self.procedures)
            )
        else:
            self.bundle = ""
            if found:
                chosen.update(t("intake.chosen", code=found[0].code, name=found[0].name))
        self._clear_results()
        # a procedure is taken: its message goes (checked again below when Ctrl+S
        # had found one), and the components' with the rows they were about; the new
        # rows are untouched, so no message of theirs shows before the next Ctrl+S
        self._live.discard("components")
        # and a bundle's further fees, whose fields are built again (or gone)
        self._live = {f for f in self._live if not is_bundle_fee(f)}
        gone = ("procedure", "components")
        self._set_problems(
            [
                p
                for p in self._problems
                if checked_field(p.field) not in gone and not is_bundle_fee(p.field)
            ]
        )
        if await self._build_components(choice):
            self.choosing = False  # Ctrl+S reads the rows just built, and only those
            self._show_time_and_fee()
            edited, self._edited_while_choosing = self._edited_while_choosing, set()
            self._recheck({"procedure", *edited})

    async def _choice_failed(self, error: Exception, generation: int, choice: int) -> None:
        """The chosen procedure could not be read: said (and logged) under the field,
        with the rows of the one chosen before gone."""
        message = self.report_failure("reading the chosen procedure", error)
        await self._chosen("", "", [], message, generation, choice)

    async def _build_components(self, choice: int, rows: bool = True) -> bool:
        """Show the chosen procedures' components (``rows``; else none), in place of
        the rows shown so far.

        False, and nothing mounted, when a newer choice or a reset came meanwhile."""
        async with self._components_lock:
            box = self.query_one("#components", Vertical)
            await textual_compat.remove_children(box)  # the new rows reuse the old rows' ids
            if choice != self._choice:
                return False
            if rows:
                await box.mount_all(self._component_rows())
            fees = self.query_one("#bundle-fees", Horizontal)
            await textual_compat.remove_children(fees)
            if rows and len(self.procedures) > 1:
                await fees.mount_all(self._bundle_fees())
            return True

    def _component_rows(self) -> list[Static | Horizontal]:
        rows: list[Static | Horizontal] = []
        count = 0
        for proc in self.procedures:
            for i, (name, originals, copies) in enumerate(proc.components):
                n = count
                count += 1
                prefix = f"{proc.code}: " if len(self.procedures) > 1 else ""
                rows.append(
                    Horizontal(
                        # broken between phrases, further lines under the name
                        PhraseLine(
                            name,
                            head=prefix,
                            classes="component-name",
                            breaks=NAME_BREAK,
                            balanced=True,
                        ),
                        # Enter moves on from each count, as from every field (in two
                        # of them it stayed: "1", Enter, "0" made 10 originals)
                        self._count(str(originals), f"c{n}-orig", name, "intake.count_orig"),
                        self._count("0", f"c{n}-cert", name, "intake.count_cert"),
                        self._count(str(copies), f"c{n}-photo", name, "intake.count_photo"),
                        textual_compat.MarkBox(
                            t("intake.scanned"), id=f"c{n}-scan", classes="scanned", compact=True
                        ),
                        classes="component",
                        name=f"{proc.code}|{i}",
                    )
                )
                rows.append(
                    Static("", id=f"err-component_{n}", classes="field-error", markup=False)
                )
        if not rows:
            rows.append(Static(t("intake.components_empty"), classes="hint"))
        else:  # each count's column named over it (the section's title alone did)
            heads = [
                Static(t(f"intake.head_{kind}"), classes="count-head")
                for kind in ("orig", "cert", "photo")
            ]
            # as wide as a row's box, "▐ ▌ Đã scan ": its mark, its label in spaces
            box = Static(" " * (cell_len(t("intake.scanned")) + 5), classes="scan-head")
            head = Horizontal(Static(classes="component-name"), *heads, box, classes="papers-head")
            rows.insert(0, head)
        return rows

    def _show_time_and_fee(self) -> None:
        config = self.runtime.config
        known = [planned_days(config, p) for p in self.procedures]
        missing = any(d is None for d in known)
        self.query_one("#days-box").display = missing
        label = ""
        if self.procedures and not missing:
            cutoff = config.hours.cutoff
            late = clock.now().time() >= cutoff
            times = []
            for days, proc in zip(known, self.procedures, strict=True):
                time = days_text(days, proc.day_type)
                if days == 0 and late:
                    # the receipt's date is the next working day: said before it prints
                    # ("Trong ngày" on the form, tomorrow on the paper; walk, 2 Dec)
                    time += " " + t("intake.after_cutoff", time=f"{cutoff:%H:%M}")
                # each dossier of a bundle has its own time (its own due date)
                times.append(f"{proc.code}: {time}" if len(self.procedures) > 1 else time)
            label = t("intake.days_known", days="; ".join(times))
        self.query_one("#days-known", Static).update(label)
        # the catalogue's words on the fee (exempt if on time, per copy, tiers): the
        # officer read them nowhere and had to know the amount (walk, 2 Dec)
        notes = [p for p in self.procedures if p.fee_note.strip()]
        note = "; ".join(
            p.fee_note.strip() if len(notes) == 1 else f"{p.code}: {p.fee_note.strip()}"
            for p in notes
        )
        self.query_one("#fee-note", Static).update(t("intake.fee_note", note=note) if note else "")
        fee = self.procedures[0].fee_vnd if self.procedures else None
        fee_input = self.query_one("#fee", FormInput)
        if fee_input.value in ("", self._fee_filled):
            # the catalogue's, again for another procedure chosen: the one chosen
            # before's stayed, now labelled with the new one's code (diff review)
            fee_input.value = self._fee_filled = fee_text(fee)
        # a bundle's fees are one per dossier: the first names its procedure too
        self._name_fee(f"{self.procedures[0].code}: " if len(self.procedures) > 1 else "")

    def _name_fee(self, head: str) -> None:
        """The first fee's label, and its name in a refusal, with ``head`` before it."""
        named = head + t("intake.fee")
        self.query_one("#label-fee", Static).update(named)
        self.query_one("#fee", FormInput).label_text = named

    # --- the form's data ---------------------------------------------------------

    def form_input(self) -> IntakeInput:
        def val(name: str) -> str:
            return self.query_one(f"#{name}", Input).value

        def sel(name: str) -> str:
            value = self.query_one(f"#{name}", Select).value
            return str(value)

        components: list[ComponentInput] = []
        for row in self.query_one("#components").query_children(".component"):
            code, _, idx = (row.name or "|").partition("|")
            proc = next((p for p in self.procedures if p.code == code), None)
            name = proc.components[int(idx)][0] if proc and idx.isdigit() else ""
            # each row's own counts (originals, certified, photocopies), not ids
            originals, certified, photocopies = row.query_children(Input).results(Input)
            components.append(
                ComponentInput(
                    name=name,
                    procedure_code=code if len(self.procedures) > 1 else "",
                    originals=originals.value,
                    certified=certified.value,
                    photocopies=photocopies.value,
                    scanned=row.query_one(Checkbox).value,
                )
            )
        return IntakeInput(
            procedure_code=self.procedures[0].code if self.procedures and not self.bundle else "",
            bundle=self.bundle,
            **{name: val(name) for name in TEXT_FIELDS},
            channel=sel("channel"),
            components=components,
            sets=val("sets"),
            processing_days=val("processing_days"),
            fee=val("fee"),
            fees=[f.value for f in self.query("#bundle-fees Input").results(Input)],
            payment_method=sel("payment_method"),
            result_delivery=sel("result_delivery"),
            notes=val("notes"),
        )

    def is_dirty(self) -> bool:
        if self.saved is not None:
            return False
        if self.procedures or self.query_one("#procedure", Input).value:
            return True
        return any(self.query_one(f"#{n}", Input).value for n in TEXT_FIELDS) or bool(
            self.query_one("#notes", Input).value
        )

    def _show_problems(self, problems: list[Problem]) -> None:
        """Ctrl+S's problems, each under its field, and the focus on the first error."""
        self._problems = problems
        for err in self.query(".field-error").results(Static):
            err.update("")
            err.remove_class("-warning", "-shown")
        for field in dict.fromkeys(p.field for p in problems):
            self._show_field(field, problems)
        errors = self._show_error_count(problems)
        if errors:
            # the first in the form's order, top to bottom (the checks' own order put
            # the birth year before the CCCD above it)
            order = {w.id: i for i, w in enumerate(self.focus_chain) if w.id}
            first = min(
                (p.field for p in errors),
                key=lambda f: order.get(self._field_widget(f), len(order)),
            )
            target = self._field_widget(first)
            with contextlib.suppress(NoMatches):
                widget = self.query_one(f"#{target}")
                widget.focus()
                # the message too: a list's message sits below the list, off screen
                self.call_after_refresh(self._reveal, f"#err-{first}", widget)

    def _field_widget(self, field: str) -> str:
        """The id of the widget where a problem about ``field`` is fixed."""
        if field.startswith("component_"):
            return f"c{field.split('_')[1]}-orig"
        if field == "components":
            return self._papers_missing()
        return field

    def _papers_missing(self) -> str:
        """The first count of the first procedure none of whose papers has a count:
        a bundle missing the papers of its second and third dossiers put the focus
        on the first's, which had them, rows above the message (walk, 2 Dec)."""
        counted: dict[str, bool] = {}
        first: dict[str, int] = {}
        rows = self.query_one("#components").query_children(".component")
        for n, row in enumerate(rows):
            code = (row.name or "|").partition("|")[0]
            counts = row.query_children(Input).results(Input)
            has = any(c.value.strip() not in ("", "0") for c in counts)
            counted[code] = counted.get(code, False) or has or row.query_one(Checkbox).value
            first.setdefault(code, n)
        missing = [code for code, has in counted.items() if not has]
        return f"c{first[missing[0]]}-orig" if missing else "c0-orig"

    def _show_field(self, field: str, problems: list[Problem]) -> None:
        """The messages of ``problems`` about ``field`` under it, one a line (none:
        the place is emptied; no place for them: nothing to show)."""
        try:
            err = self.query_one(f"#err-{field}", Static)
        except NoMatches:
            return
        mine = [p for p in problems if p.field == field]
        # an error before a warning: a CCCD of the wrong birth year and an unknown
        # province showed only the province's warning, in yellow, under a red count
        mine.sort(key=lambda p: p.warning)
        err.update("\n".join(p.message for p in mine))
        err.set_class(bool(mine) and all(p.warning for p in mine), "-warning")
        err.set_class(bool(mine), "-shown")

    def _show_error_count(
        self, problems: list[Problem], notice_stays: bool = False
    ) -> list[Problem]:
        """The form's message: how many problems (not warnings) are left to fix.

        ``notice_stays``: a message that is not a count (what a scanned CCCD filled
        in, a save that failed) is left as it is."""
        errors = [p for p in problems if not p.warning]
        message = self.query_one("#intake-message", Static)
        if notice_stays and message.content not in ("", self._count_text):
            return errors
        self._count_text = (
            (t("intake.errors_one") if len(errors) == 1 else t("intake.errors", count=len(errors)))
            if errors
            else ""
        )
        message.update(self._count_text)
        message.set_class(bool(errors), "-error")
        return errors

    def _set_problems(self, problems: list[Problem]) -> None:
        """Show ``problems`` in place of those shown: only the fields whose messages
        change are redrawn, and the focus stays where the officer is typing."""
        before = self._problems
        self._problems = problems
        for field in dict.fromkeys(p.field for p in [*before, *problems]):
            if [p for p in before if p.field == field] != [p for p in problems if p.field == field]:
                self._show_field(field, problems)
        self._show_error_count(problems, notice_stays=True)

    def _recheck(self, edited: set[str]) -> None:
        """The fields that had a problem at the last Ctrl+S and that an edit of
        ``edited`` can change are checked again (desk.dossiers.intake's rules): a
        message goes once its field is right and says what is still wrong if not."""
        if self.choosing:  # the components are being rebuilt: checked once they are in
            self._edited_while_choosing |= edited
            return
        fields = set().union(*(affected_by(name) for name in edited)) & self._live
        if not fields:
            return
        config = self.runtime.config
        form = self.form_input()
        self._set_problems(recheck_intake(config, form, self.procedures, self._problems, fields))

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _field_edited(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        """Any field of the form changed (typed, chosen, filled by a scanned CCCD):
        its message, and those of the fields whose check reads it, are checked again
        when the last Ctrl+S found something there."""
        message = self.query_one("#intake-message", Static)
        if self._key_notice is not None and message.content == self._key_notice:
            message.update(self._count_text)  # a key was taken: the refusal is past
            message.set_class(bool(self._count_text), "-error")
        self._key_notice = None
        if not self._live:
            return
        control = event.control
        if control.has_class("count") or control.has_class("scanned"):
            self._recheck({"components"})
        elif control.id and control.id != "procedure":  # its message is its choice's
            self._recheck({control.id})

    @staticmethod
    def _count(value: str, field_id: str, component: str, kind: str) -> FormInput:
        """A count of a component's papers: two digits at most, named in a refusal."""
        field = FormInput(
            value, id=field_id, classes="count", max_length=2, restrict=r"[0-9]*", compact=True
        )
        field.label_text = f"{component}: {t(kind)}"
        return field

    def say_refused(self, words: str) -> None:
        """A key a field refused (:meth:`FormInput.restricted`): what it holds stays,
        and ``words`` say why until the next key a field takes."""
        self._key_notice = words
        message = self.query_one("#intake-message", Static)
        message.update(words)
        message.remove_class("-error")

    def _focus_moved(self, focused: Widget | None) -> None:
        self._form_bar()
        # a field with a message under it shows the message too: Tab scrolled the
        # field alone into view, its message under the form's status line (80x24)
        if focused is None or not focused.id or not isinstance(focused, Input):
            return
        with contextlib.suppress(NoMatches):
            if self.query_one(f"#err-{focused.id}", Static).has_class("-shown"):
                self.call_after_refresh(self._reveal, f"#err-{focused.id}", focused)

    def _reveal(self, message: str, field: Widget) -> None:
        """Scroll the first problem's message into view, and its field (which wins
        when both do not fit)."""
        with contextlib.suppress(NoMatches):
            self.query_one(message).scroll_visible(animate=False, immediate=True)
        field.scroll_visible(animate=False, immediate=True)

    # --- actions -----------------------------------------------------------------

    def action_save(self) -> None:
        """Ctrl+S, once every field has taken the keys typed before it (the app reads
        Ctrl+S as it comes: "8.000" typed just before, in one burst, was saved as "8";
        walk, 2 Dec)."""
        after_typed_keys(self.focus_chain, self._save_typed)

    def _save_typed(self) -> None:
        """Whatever goes wrong here is shown and logged; the form stays, with
        everything typed in it."""
        try:
            self._check_and_save()
        except Exception as exc:  # shown and logged, never a crash
            self.saving = False
            message = self.query_one("#intake-message", Static)
            message.update(self.report_failure("Ctrl+S", exc))
            message.add_class("-error")

    def _check_and_save(self) -> None:
        if self.saving or self.saved is not None:
            return
        if self.choosing:
            self.query_one("#intake-message", Static).update(t("everyday.intake.choosing"))
            return
        config = self.runtime.config
        form = self.form_input()
        # every problem at once, the missing procedure's with the others' (it was
        # said alone, then the name's after it was chosen; walk, 2 Dec)
        data, problems = check_intake(config, form, self.procedures)
        self._live = {checked_field(p.field) for p in problems}
        self._show_problems(problems)
        if data is None:
            return
        self.saving = True
        self._save(data)

    @work(thread=True, exclusive=True, group="save", exit_on_error=False)
    def _save(self, data: object) -> None:
        from desk.dossiers.intake import IntakeData

        assert isinstance(data, IntakeData)
        generation = self._generation
        runtime = self.runtime
        counter_id = runtime.ids.counters.get(self.counter) if self.counter else None
        officer = self.desk.officer
        try:
            saved = save_intake(
                runtime.engine,
                runtime.config,
                data,
                center_id=runtime.ids.center,
                ticket_id=self.ticket.id if self.ticket else None,
                counter_id=counter_id,
                officer_id=officer.id if officer else None,
                officer_name=officer.full_name if officer else "",
            )
        except IntakeError as exc:
            self.app.call_from_thread(self._save_failed, str(exc), generation)
            return
        from desk.printing.preview import paper_columns, write_document_preview

        for dossier in saved:
            # if the preview cannot be written the receipt stays queued in print_job
            with contextlib.suppress(OSError):
                write_document_preview(runtime.config, dossier.receipt)
        width = paper_columns(runtime.config)
        self.app.call_from_thread(self._saved, saved, generation, width)

    def _save_failed(self, message: str, generation: int) -> None:
        if generation != self._generation:
            return
        self.saving = False
        msg = self.query_one("#intake-message", Static)
        msg.update(message)
        msg.add_class("-error")

    def _saved(self, saved: list[SavedDossier], generation: int, width: int) -> None:
        if generation != self._generation:
            return  # the receipt of a form left while saving stays in the print queue
        self.saving = False
        self.saved = saved
        lead = saved[0]
        due = moment_text(lead.due_at) if lead.due_at else t("intake.due_unknown")
        msg = self.query_one("#intake-message", Static)
        msg.update(t("intake.saved", code=lead.code, due=due))
        msg.remove_class("-error")

        def closed(_: None) -> None:
            self.dismiss_intake()

        self.app.push_screen(
            ReceiptView([d.receipt for d in saved], [d.print_job for d in saved], width), closed
        )

    def dismiss_intake(self) -> None:
        self.app.pop_screen()

    def action_leave(self) -> None:
        if not self.is_dirty():
            self.dismiss_intake()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss_intake()

        self.app.push_screen(ConfirmDiscard(), answered)
