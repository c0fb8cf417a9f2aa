"""The layout rules of the design card: desk/ and db/ never import Textual,
imports point one way, heavy printing libraries load only when used."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules(package: str) -> list[str]:
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        if "versions" in rel.parts or rel.name == "env":
            continue  # Alembic scripts run only inside a migration
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append(".".join(parts))
    return out


def test_core_never_imports_textual_or_heavy_printing_libraries() -> None:
    modules = [m for m in _modules("desk") + _modules("db") if not m.startswith("desk.cli")]
    assert "desk.center.config" in modules and "db.models" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in ('textual', 'escpos', 'qrcode', 'PIL') if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"imported by the core: {result.stdout.strip()}"


def test_cli_imports_screens_only_lazily() -> None:
    code = "import sys, desk.cli; print('textual' in sys.modules, 'screens' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _imported_modules(path: Path) -> set[str]:
    """Full dotted names of every absolute import of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_imports_point_one_way() -> None:
    """screens → desk → db: db imports neither, desk imports screens only in the
    command that starts the UI (desk/cli/roles.py)."""
    for path in (ROOT / "db").rglob("*.py"):
        assert not {"desk", "screens", "textual"} & _imports(path), path
    for path in (ROOT / "desk").rglob("*.py"):
        if path.relative_to(ROOT).as_posix() == "desk/cli/roles.py":
            continue
        assert not {"screens", "textual"} & _imports(path), path


def test_printing_never_imports_the_queue() -> None:
    for path in (ROOT / "desk" / "printing").rglob("*.py"):
        queue = {m for m in _imported_modules(path) if m.startswith("desk.queue")}
        assert not queue, f"{path}: {sorted(queue)}"


def test_screens_never_import_db() -> None:
    """The UI reaches the database only through desk's functions."""
    for path in (ROOT / "screens").rglob("*.py"):
        assert "db" not in _imports(path), path


def test_domain_folders_state_their_rules() -> None:
    """Each folder of desk/ names a part of the domain and its __init__ docstring
    states its rules."""
    folders = sorted(p.parent for p in (ROOT / "desk").glob("*/__init__.py"))
    names = {f.name for f in folders}
    assert {
        "center",
        "queue",
        "dossiers",
        "printing",
        "reports",
        "upstream",
        "demo",
        "cli",
    } <= names
    for folder in folders:
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, f"{folder}: no docstring stating its rules"
    flat = sorted(p.stem for p in (ROOT / "desk").glob("*.py") if p.stem != "__init__")
    assert flat == ["clock", "errors", "i18n", "logs", "rows", "sequence", "text"], flat


def test_every_ticket_character_has_a_large_glyph() -> None:
    """Any prefix a config may choose (A–Z), the digits and the priority mark draw
    three rows of three cells each; nothing falls back to a small letter."""
    import string

    from screens.bigtext import GLYPHS, render_big

    for char in string.ascii_uppercase + string.digits + "★":
        rows = GLYPHS[char]
        assert len(rows) == 3 and all(len(r) == 3 for r in rows), char
        assert any(r.strip() for r in rows), char
    big = render_big("U012")
    assert big == ["╷ ╷╭─╮╶╮ ╶─╮", "│ ││ │ │ ┌─┘", "╰─╯╰─╯╶┴╴╰─╴"]
