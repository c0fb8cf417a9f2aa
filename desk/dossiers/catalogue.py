"""The procedure catalogue (danh mục thủ tục hành chính): import and aliases.

CSV columns (UTF-8, header row; extra columns are ignored):
``code, name, field, legal_days, day_type, same_day_rule, fee_vnd, fee_note,
components, status, confidence`` and optionally ``local_days``, ``legal_basis``
and ``aliases`` (old codes separated by ``|``). Components are separated by ``|``.

Import is all-or-nothing: every row is checked first; a malformed row is reported
with its line number and the reason, and then nothing of the file is written.
Re-importing the same file changes nothing (upsert by code). An optional column
absent from the file leaves the stored values of existing procedures alone (a new
procedure gets the default); a column present with an empty cell clears the value.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from db.engine import write_session
from db.models import Procedure, ProcedureAlias, ProcedureComponent
from desk import clock
from desk.errors import CatalogueError, os_reason
from desk.i18n import t
from desk.text import clean, fold, shown

CODE_RE = re.compile(r"^\d\.\d{6}(\.[0-9A-Za-z]+)*$")
REQUIRED_COLUMNS = ("code", "name", "field")
OPTIONAL_COLUMNS = (
    "legal_days",
    "local_days",
    "day_type",
    "same_day_rule",
    "fee_vnd",
    "fee_note",
    "components",
    "status",
    "confidence",
    "legal_basis",
    "aliases",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DAY_TYPES = ("working", "calendar")
SAME_DAY_RULES = ("", "after_15h_next_day")
STATUSES = ("active", "repealed")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ProcedureRow:
    line: int
    code: str
    name: str
    field: str
    legal_days: float | None
    local_days: float | None
    day_type: str
    same_day_rule: str
    fee_vnd: int | None
    fee_note: str
    status: str
    confidence: str
    legal_basis: str
    components: tuple[str, ...]
    aliases: tuple[str, ...]
    columns: frozenset[str] = frozenset(COLUMNS)
    """the columns the source had: the others leave stored values alone"""


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    aliases: int = 0
    codes: list[str] = field(default_factory=list)
    columns: tuple[str, ...] = COLUMNS
    """the known columns the file had, in the catalogue's order"""


def _days(value: str, column: str, problems: list[str]) -> float | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        days = float(value)
    except ValueError:
        problems.append(f"{column}: {t('catalogue_check.days', value=value)}")
        return None
    if days < 0 or days > 3650:
        problems.append(f"{column}: {t('catalogue_check.days', value=value)}")
        return None
    return days


def _fee(value: str, problems: list[str]) -> int | None:
    value = value.strip().replace(".", "").replace(" ", "")
    if not value:
        return None
    if not value.isdigit():
        problems.append(f"fee_vnd: {t('catalogue_check.fee', value=value)}")
        return None
    return int(value)


def parse_row(
    line: int, raw: dict[str, str], columns: frozenset[str] = frozenset(COLUMNS)
) -> tuple[ProcedureRow | None, list[str]]:
    problems: list[str] = []

    def get(key: str) -> str:
        return clean(raw.get(key) or "")

    code = get("code")
    if not CODE_RE.match(code):
        problems.append(f"code: {t('catalogue_check.code', value=code)}")
    name = get("name")
    if not name:
        problems.append(f"name: {t('catalogue_check.empty')}")
    day_type = get("day_type") or "working"
    if day_type not in DAY_TYPES:
        choices = ", ".join(DAY_TYPES)
        problems.append(f"day_type: {t('catalogue_check.one_of', choices=choices, value=day_type)}")
    rule = get("same_day_rule")
    if rule not in SAME_DAY_RULES:
        problems.append(f"same_day_rule: {t('catalogue_check.same_day', value=rule)}")
    status = get("status") or "active"
    if status not in STATUSES:
        choices = ", ".join(STATUSES)
        problems.append(f"status: {t('catalogue_check.one_of', choices=choices, value=status)}")
    legal_days = _days(get("legal_days"), "legal_days", problems)
    local_days = _days(get("local_days"), "local_days", problems)
    fee = _fee(get("fee_vnd"), problems)
    aliases = tuple(a for a in (clean(x) for x in (raw.get("aliases") or "").split("|")) if a)
    for alias in aliases:
        if not CODE_RE.match(alias):
            problems.append(f"aliases: {t('catalogue_check.aliases', value=alias)}")
    if problems:
        return None, problems
    components = tuple(c for c in (clean(x) for x in (raw.get("components") or "").split("|")) if c)
    return (
        ProcedureRow(
            line=line,
            code=code,
            name=name,
            field=get("field"),
            legal_days=legal_days,
            local_days=local_days,
            day_type=day_type,
            same_day_rule=rule,
            fee_vnd=fee,
            fee_note=get("fee_note"),
            status=status,
            confidence=get("confidence"),
            legal_basis=get("legal_basis"),
            components=components,
            aliases=aliases,
            columns=columns,
        ),
        [],
    )


def separator_of(text: str) -> str:
    """The file's separator, read from its header line: ``;`` where it has more of
    them than commas (Excel with Vietnamese regional settings, whose decimal mark is
    the comma, saves a CSV so), else ``,``."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def read_catalogue(path: Path, display: str | None = None) -> list[ProcedureRow]:
    """Parse and check every row; raise :class:`CatalogueError` listing all problems."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogueError([f"{name}: {t('catalogue_check.not_found')}"]) from None
    except UnicodeDecodeError:
        raise CatalogueError([f"{name}: {t('catalogue_check.not_utf8')}"]) from None
    except OSError as exc:
        said = t("catalogue_check.unreadable", reason=os_reason(exc))
        raise CatalogueError([f"{name}: {said}"]) from None
    separator = separator_of(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=separator)
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]

    def at(line: int) -> str:
        return f"{name}: {t('catalogue_check.line', line=line)}"

    if missing:
        found = shown(", ".join(header))
        said = t("catalogue_check.missing_columns", columns=", ".join(missing), found=found)
        raise CatalogueError([f"{at(1)}: {said}"])
    columns = frozenset(c for c in COLUMNS if c in header)
    rows: list[ProcedureRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    line = reader.line_num + 1
    for raw in reader:
        start, line = line, reader.line_num + 1
        if None in raw:
            stray = "stray_comma" if separator == "," else "stray_semicolon"
            problems.append(f"{at(start)}: {t(f'catalogue_check.{stray}')}")
            continue
        if not any((v or "").strip() for v in raw.values()):
            continue
        row, row_problems = parse_row(start, raw, columns)
        problems.extend(f"{at(start)}: {p}" for p in row_problems)
        if row is None:
            continue
        if row.code in seen:
            said = t("catalogue_check.repeated", code=row.code, first=seen[row.code])
            problems.append(f"{at(start)}: code: {said}")
            continue
        seen[row.code] = start
        rows.append(row)
    if problems:
        raise CatalogueError(problems)
    return rows


def _values(row: ProcedureRow) -> dict[str, object]:
    return {
        "name": row.name,
        "field": row.field,
        "legal_days": row.legal_days,
        "local_days": row.local_days,
        "day_type": row.day_type,
        "same_day_rule": row.same_day_rule,
        "fee_vnd": row.fee_vnd,
        "fee_note": row.fee_note,
        "status": row.status,
        "confidence": row.confidence,
        "legal_basis": row.legal_basis,
        "search_text": fold(f"{row.code} {row.name} {row.field}"),
    }


def import_catalogue(
    engine: Engine, path: Path, display: str | None = None, progress: Progress | None = None
) -> ImportResult:
    """Upsert every procedure of ``path`` in one transaction."""
    rows = read_catalogue(path, display)
    with write_session(engine) as session:
        result = _upsert(session, rows, progress)
    if rows:
        result.columns = tuple(c for c in COLUMNS if c in rows[0].columns)
    return result


def _upsert(session: Session, rows: list[ProcedureRow], progress: Progress | None) -> ImportResult:
    result = ImportResult()
    stamp = clock.now()
    existing = {p.code: p for p in session.exec(select(Procedure))}
    components: dict[int, list[str]] = {}
    for comp in session.exec(select(ProcedureComponent).order_by(col(ProcedureComponent.position))):
        components.setdefault(comp.procedure_id, []).append(comp.name)
    for index, row in enumerate(rows, start=1):
        values = _values(row)
        proc = existing.get(row.code)
        if proc is None:
            proc = Procedure(code=row.code, updated_at=stamp, **values)  # type: ignore[arg-type]
            session.add(proc)
            session.flush()
            result.added += 1
            changed_components = True
        else:
            assert proc.id is not None
            changed = {
                k: v
                for k, v in values.items()
                if (k in row.columns or k not in COLUMNS) and getattr(proc, k) != v
            }
            changed_components = "components" in row.columns and components.get(
                proc.id, []
            ) != list(row.components)
            if changed or changed_components:
                for key, value in changed.items():
                    setattr(proc, key, value)
                proc.version += 1
                proc.updated_at = stamp
                session.add(proc)
                result.updated += 1
            else:
                result.unchanged += 1
        assert proc.id is not None
        if changed_components:
            session.execute(
                delete(ProcedureComponent).where(col(ProcedureComponent.procedure_id) == proc.id)
            )
            for pos, comp_name in enumerate(row.components, start=1):
                session.add(ProcedureComponent(procedure_id=proc.id, position=pos, name=comp_name))
        for alias in row.aliases:
            result.aliases += _set_alias(session, alias, proc.id, "")
        result.codes.append(row.code)
        if progress is not None:
            progress(index, len(rows))
    return result


def _set_alias(session: Session, old_code: str, procedure_id: int, note: str) -> int:
    alias = session.exec(select(ProcedureAlias).where(ProcedureAlias.old_code == old_code)).first()
    if alias is not None and alias.procedure_id == procedure_id:
        return 0
    if alias is None:
        alias = ProcedureAlias(old_code=old_code, procedure_id=procedure_id, note=note)
    alias.procedure_id = procedure_id
    session.add(alias)
    return 1


def import_aliases(engine: Engine, path: Path) -> int:
    """Load ``old_code,new_code,note`` rows; aliases to unknown codes are skipped."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        pairs = [
            (clean(r["old_code"]), clean(r["new_code"]), clean(r.get("note") or ""))
            for r in csv.DictReader(fh)
        ]
    added = 0
    with write_session(engine) as session:
        ids = {p.code: p.id for p in session.exec(select(Procedure))}
        for old, new, note in pairs:
            target = ids.get(new)
            if target is not None and CODE_RE.match(old):
                added += _set_alias(session, old, target, note)
    return added
