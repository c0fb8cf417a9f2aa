"""What a role's first frame needs from ``config.toml``, read without pydantic.

A kiosk, a board or a counter's login draws its first frame from a few values of the
configuration (the center's name, the language, the kiosk's service tiles and
priority key, the counters' numbers) before the database, SQLAlchemy and pydantic
are loaded; the full validation (:mod:`desk.center.config`) runs right after, on the
same parsed file, while that frame is on screen. This module imports nothing but
the standard library, so the first frame costs about what Textual itself costs.

The values are picked defensively: when the file does not have the shape the first
frame needs, :func:`first_frame` returns None and the caller validates the whole
file first, which names every problem (:class:`~desk.errors.ConfigError`).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desk.errors import ConfigError, os_reason

PROJECT_CONFIG = Path(__file__).resolve().parents[2] / "config.toml"


def resolve_config_path() -> tuple[Path, str]:
    """Where the configuration is read from, and how to name it in messages:
    ``DESK_CONFIG``, else the user's (``~/.config/desk/config.toml``), else
    ``./config.toml``, else the project's sample. The user's came last, after the
    sample every install has: a center that kept its file there ran as the sample
    center, its agency code on every dossier (walk, 2 Dec)."""
    env = os.environ.get("DESK_CONFIG")
    if env:
        return Path(env), env
    from platformdirs import user_config_path

    user = user_config_path("desk") / "config.toml"
    if user.is_file():
        return user, str(user)
    local = Path("config.toml")
    if local.is_file():
        return local.resolve(), "config.toml"
    if PROJECT_CONFIG.is_file():
        return PROJECT_CONFIG, str(PROJECT_CONFIG)
    return user, str(user)


def read_toml(path: Path, display: str | None = None) -> dict[str, Any]:
    """The parsed file; a missing, unreadable or malformed file raises
    :class:`ConfigError` naming it."""
    name = display or str(path)

    def problem(key: str, **params: object) -> ConfigError:
        from desk.i18n import t  # the file's language is not known: the active one

        return ConfigError([f"{name}: {t(f'config_check.{key}', **params)}"])

    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise problem("not_found") from None
    except OSError as exc:
        raise problem("unreadable", reason=os_reason(exc)) from None
    try:
        return tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise problem("not_utf8") from None
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\s*\(at line (\d+), column (\d+)\)", str(exc))
        if where is None:
            raise problem("not_toml", detail=exc) from None
        detail = str(exc)[: where.start()] + str(exc)[where.end() :]
        line, column = where.groups()
        raise problem("not_toml_at", line=line, column=column, detail=detail) from None


@dataclass(frozen=True)
class Tile:
    key: str
    prefix: str
    label: str


@dataclass(frozen=True)
class FirstFrame:
    """The configuration as the first frame shows it, in the configured language."""

    language: str
    center_name: str
    tiles: tuple[Tile, ...]
    priority_key: str
    counters: tuple[int, ...]
    counter_names: tuple[str, ...] = ()
    """Each counter's name (as ``counters``), empty when it has none."""


def first_frame(raw: dict[str, Any]) -> FirstFrame | None:
    """The first frame's values of a parsed configuration, or None when the file does
    not have their shape (the full validation then says what is wrong)."""
    try:
        ui = raw.get("ui", {})
        language = ui.get("language", "vi")
        center = raw["center"]
        name = center["name"]
        english = language == "en" and center.get("name_en", "")
        tiles = tuple(
            Tile(
                key=svc["key"],
                prefix=svc["prefix"],
                label=svc["name_en"] if language == "en" else svc["name_vi"],
            )
            for svc in raw["services"]
        )
        priority_key = raw["priority"].get("key", "0")
        counters = tuple(ctr["number"] for ctr in raw["counters"])
        counter_names = tuple(str(ctr.get("name", "")) for ctr in raw["counters"])
    except (AttributeError, KeyError, TypeError):
        return None
    frame = FirstFrame(
        language=language,
        center_name=english or name,
        tiles=tiles,
        priority_key=priority_key,
        counters=counters,
        counter_names=counter_names,
    )
    texts = [frame.center_name, frame.priority_key, *(v for t in tiles for v in vars(t).values())]
    if (
        language not in ("vi", "en")
        or not all(isinstance(v, str) for v in texts)
        or not all(type(n) is int for n in counters)
    ):
        return None
    return frame
