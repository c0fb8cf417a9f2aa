"""Catalogue search, fast enough for every keystroke.

The catalogue (a few hundred to a few thousand procedures) is loaded once into an
in-memory index; a query is folded like the catalogue text (lower case, no
accents, đ → d), split into words, and each word matches a catalogue word that
starts with it. Spelling variants are one word: a syllable ``ky``/``ly``/``my``/
``qui``… is indexed and searched as ``ki``/``li``/``mi``/``qui`` (``ký`` = ``kí``).
A word with no such match may be one typo away from a catalogue word (one letter
wrong, missing, extra or two letters swapped), short syllables included, which
still matches at a lower score; when no procedure matches every word that way,
each word may be a typo even where it is the prefix of another word. A single
word of three letters or more with no match is tried as initials (``dkks`` →
đăng ký khai sinh). A leading "Thủ tục" in a name is ignored for matching and
ranking. Codes match exactly, by prefix, or through the alias table of old codes.

Ranking, best first: the exact code or an old alias code; a code prefix; then
word matches scored by how many query words matched whole words rather than
prefixes or typos, whether the query words appear in order and next to each other
in the name, how often the center receives the procedure (its own intake over the
last 90 days plus the prior in ``desk/data/intake_prior.csv``), the position of
the match and a shorter name; repealed procedures come last.
"""

from __future__ import annotations

import csv
import heapq
import re
import threading
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlmodel import col

from db.engine import read_session
from db.models import Dossier, Procedure, ProcedureAlias
from desk import clock
from desk.center.config import BundleConfig
from desk.text import fold

_WORD = re.compile(r"[a-z0-9]+")
_VARIANT = re.compile(r"^(k|l|m|t|s|h|qu)y$")
_VOWELS = set("aeiouy")
INTAKE_PRIOR = Path(__file__).resolve().parents[1] / "data" / "intake_prior.csv"
POPULARITY_DAYS = 90
_Ranked = tuple[tuple[float | str, ...], int, str]
"""(sort key, procedure id, matched alias code)"""
_CODE_QUERY = re.compile(r"^[0-9][0-9.]*$")
MIN_WORD_QUERY = 2
"""A single letter matches nearly everything; the form asks for two."""


def canonical(word: str) -> str:
    """One spelling for the i/y variants of a folded syllable: ``ky`` → ``ki``."""
    return word[:-1] + "i" if _VARIANT.match(word) else word


def words_of(text: str) -> list[str]:
    """Folded, canonical words of ``text``."""
    return [canonical(w) for w in _WORD.findall(fold(text))]


def _name_words(name: str) -> list[str]:
    words = words_of(name)
    return words[2:] if words[:2] == ["thu", "tuc"] and len(words) > 2 else words


@cache
def intake_prior(path: Path = INTAKE_PRIOR) -> dict[str, float]:
    """code → pseudo-count of dossiers per 90 days for a center without history."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return {r["code"].strip(): float(r["dossiers_per_90_days"]) for r in csv.DictReader(lines)}


@dataclass(frozen=True)
class Hit:
    procedure_id: int
    code: str
    name: str
    field: str
    status: str
    matched_alias: str = ""


@dataclass
class _Entry:
    id: int
    code: str
    name: str
    field: str
    status: str
    words: list[str]
    name_words: list[str]
    text: str
    repealed: bool = False
    length: int = 0
    initials: str = ""
    popularity: float = 0.0
    order: int = 0
    """Rank among all entries by (name length, code): the last tie-breaker."""


def _edits1(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return deletes | swaps | replaces | inserts


class CatalogueIndex:
    def __init__(self, entries: list[_Entry], aliases: dict[str, int]) -> None:
        for i, e in enumerate(sorted(entries, key=lambda e: (e.length, e.code))):
            e.order = i
        self.entries = {e.id: e for e in entries}
        self.by_code = {e.code: e.id for e in entries}
        self.codes = sorted(self.by_code)
        self.aliases = aliases
        self.postings: dict[str, set[int]] = {}
        for e in entries:
            for w in set(e.words):
                self.postings.setdefault(w, set()).add(e.id)
        self.vocabulary = sorted(self.postings)
        self.initials = sorted((e.initials, e.id) for e in entries if e.initials)
        self._word_cache: dict[tuple[str, bool], tuple[set[int], dict[int, int]]] = {}

    @classmethod
    def load(cls, engine: Engine) -> CatalogueIndex:
        """The index of the catalogue, ranked by the center's intake of the last 90
        days on top of the shipped prior."""
        since = clock.now() - timedelta(days=POPULARITY_DAYS)
        with read_session(engine) as session:
            counts = dict(
                session.execute(
                    select(col(Dossier.procedure_id), func.count())
                    .where(col(Dossier.received_at) >= since)
                    .group_by(col(Dossier.procedure_id))
                ).all()
            )
            rows = session.execute(
                select(
                    col(Procedure.id),
                    col(Procedure.code),
                    col(Procedure.name),
                    col(Procedure.field),
                    col(Procedure.status),
                )
            ).all()
            alias_rows = session.execute(
                select(col(ProcedureAlias.old_code), col(ProcedureAlias.procedure_id))
            ).all()
        entries = []
        prior = intake_prior()
        for pid, code, name, field, status in rows:
            name_words = _name_words(name)
            words = name_words + words_of(field)
            entries.append(
                _Entry(
                    pid,
                    code,
                    name,
                    field,
                    status,
                    words,
                    name_words,
                    " ".join(name_words),
                    status != "active",
                    len(name_words),
                    "".join(w[0] for w in name_words),
                    counts.get(pid, 0) + prior.get(code, 0.0),
                )
            )
        return cls(entries, {old: pid for old, pid in alias_rows})

    def __len__(self) -> int:
        return len(self.entries)

    # --- matching ----------------------------------------------------------------

    def _word_matches(self, word: str, typos: bool = False) -> tuple[set[int], dict[int, int]]:
        """Ids matching one query word, with a quality per id: 3 whole word,
        2 prefix, 1 one typo away (tried when nothing else matches, or always
        with ``typos``)."""
        cached = self._word_cache.get((word, typos))
        if cached is not None:
            return cached
        quality: dict[int, int] = {}
        vocab = self.vocabulary
        i = bisect_left(vocab, word)
        while i < len(vocab) and vocab[i].startswith(word):
            q = 3 if vocab[i] == word else 2
            for pid in self.postings[vocab[i]]:
                if quality.get(pid, 0) < q:
                    quality[pid] = q
            i += 1
        if (not quality or typos) and len(word) >= 2:
            for candidate in _edits1(word):
                for pid in self.postings.get(canonical(candidate), ()):
                    quality.setdefault(pid, 1)
        result = (set(quality), quality)
        if len(self._word_cache) > 4096:
            self._word_cache.clear()
        self._word_cache[(word, typos)] = result
        return result

    def _initials_matches(self, word: str) -> dict[int, int]:
        """Ids whose name's initials start with ``word`` (``dkks``), as prefixes."""
        found: dict[int, int] = {}
        i = bisect_left(self.initials, (word, 0))
        while i < len(self.initials) and self.initials[i][0].startswith(word):
            found[self.initials[i][1]] = 2
            i += 1
        return found

    def _candidates(self, words: list[str], typos: bool) -> tuple[set[int], list[dict[int, int]]]:
        candidates: set[int] | None = None
        qualities: list[dict[int, int]] = []
        for word in words:
            ids, quality = self._word_matches(word, typos)
            candidates = ids if candidates is None else candidates & ids
            qualities.append(quality)
            if not candidates:
                break
        return candidates or set(), qualities

    def matches_words(self, query: str, text: str, prefix: bool = True) -> bool:
        """Whether every word of ``query`` matches a word of ``text`` the way the
        search matches a name (prefix, spelling variant or one typo); with
        ``prefix=False`` a word must be whole or, from four letters, one typo away."""
        vocab = set(words_of(text))
        for word in words_of(query):
            if word in vocab or (prefix and any(v.startswith(word) for v in vocab)):
                continue
            shortest = 2 if prefix else 4
            if len(word) < shortest or not any(canonical(c) in vocab for c in _edits1(word)):
                return False
        return True

    def _code_hits(self, query: str) -> list[_Ranked]:
        hits: list[_Ranked] = []
        # each key ends with the entry's code, the last tie-breaker
        code_of = self.entries
        if query in self.by_code:
            pid = self.by_code[query]
            hits.append(((0, code_of[pid].code), pid, ""))
        if query in self.aliases:
            pid = self.aliases[query]
            hits.append(((1, code_of[pid].code), pid, query))
        i = bisect_left(self.codes, query)
        while i < len(self.codes) and self.codes[i].startswith(query):
            if self.codes[i] != query:
                pid = self.by_code[self.codes[i]]
                hits.append(((2, len(self.codes[i]), self.codes[i]), pid, ""))
            i += 1
        for old, pid in self.aliases.items():
            if old.startswith(query) and old != query:
                hits.append(((3, len(old), code_of[pid].code), pid, old))
        return hits

    def _rank_words(
        self, words: list[str], candidates: set[int], qualities: list[dict[int, int]]
    ) -> list[_Ranked]:
        """Sort keys of word matches (see the module docstring for the order)."""
        phrase = " ".join(words)
        first = words[0]
        entries = self.entries
        ranked: list[_Ranked] = []
        if len(qualities) == 1:
            quality = qualities[0]
            for pid in candidates:
                entry = entries[pid]
                position = entry.text.find(first)
                key = (
                    5,
                    entry.repealed,
                    -quality[pid],
                    position < 0,
                    -entry.popularity,
                    position,
                    entry.order,
                )
                ranked.append((key, pid, ""))
            return ranked
        for pid in candidates:
            entry = entries[pid]
            whole = 0
            for q in qualities:
                whole += q[pid]
            position = entry.text.find(first)
            key = (
                5,
                entry.repealed,
                -whole,
                phrase not in entry.text,
                -entry.popularity,
                position if position >= 0 else 999,
                entry.order,
            )
            ranked.append((key, pid, ""))
        return ranked

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        folded = fold(query).strip()
        if not folded:
            return []
        ranked: list[_Ranked] = []
        if _CODE_QUERY.match(folded):
            ranked = self._code_hits(folded)
        words = [canonical(w) for w in _WORD.findall(folded)]
        if len(folded.replace(" ", "")) < MIN_WORD_QUERY and not ranked:
            return []
        if words and not ranked:
            candidates, qualities = self._candidates(words, typos=False)
            if not candidates and len(words) > 1:
                candidates, qualities = self._candidates(words, typos=True)
            if not candidates and len(words) == 1 and len(words[0]) >= 3:
                qualities = [self._initials_matches(words[0])]
                candidates = set(qualities[0])
            ranked = self._rank_words(words, candidates, qualities)
        seen: set[int] = set()
        out: list[Hit] = []
        # keys end with a unique tie-breaker (the code, or the entry's static order)
        best = heapq.nsmallest(limit * 2, ranked)
        for _key, pid, alias in best:
            if pid in seen:
                continue
            seen.add(pid)
            e = self.entries[pid]
            out.append(Hit(e.id, e.code, e.name, e.field, e.status, alias))
            if len(out) >= limit:
                break
        return out


def matching_bundles(
    index: CatalogueIndex, query: str, bundles: Sequence[BundleConfig], hits: Sequence[Hit]
) -> list[BundleConfig]:
    """The linked bundles to offer for ``query``: those whose lead procedure is among
    the first three hits ("khai sinh", "khai tu"), and those whose name's words the
    query matches across at least two of its parts ("khai sinh thuong tru")."""
    leads = {h.code for h in hits[:3]}
    out = []
    for bundle in bundles:
        if bundle.procedures[0] in leads:
            out.append(bundle)
            continue
        for name in (bundle.name_vi, bundle.name_en):
            parts = [p for p in re.split(r"\s+[–-]\s+", name) if p.strip()]
            if not index.matches_words(query, name):
                continue
            words = query.split()
            if sum(1 for p in parts if any(index.matches_words(w, p, False) for w in words)) >= 2:
                out.append(bundle)
                break
    return out


_shared: dict[int, tuple[tuple[object, ...], CatalogueIndex]] = {}
_shared_lock = threading.Lock()


def shared_index(engine: Engine) -> CatalogueIndex:
    """The catalogue index, built once per process and reused while the catalogue is
    unchanged (one cheap query compares its fingerprint: counts, last update)."""
    with read_session(engine) as session:
        count, updated, last_id = session.execute(
            select(func.count(), func.max(col(Procedure.updated_at)), func.max(col(Procedure.id)))
        ).one()
        aliases = session.execute(select(func.count()).select_from(ProcedureAlias)).scalar_one()
    key = (count, updated, last_id, aliases)
    with _shared_lock:
        cached = _shared.get(id(engine))
        if cached is not None and cached[0] == key:
            return cached[1]
    index = CatalogueIndex.load(engine)
    with _shared_lock:
        _shared[id(engine)] = (key, index)
    return index
