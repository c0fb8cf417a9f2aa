"""Catalogue search, fast enough for every keystroke.

The catalogue (a few hundred to a few thousand procedures) is loaded once into an
in-memory index; a query is folded like the catalogue text (lower case, no
accents, đ → d), split into words, and each word matches a catalogue word that
starts with it. A word with no such match may be one typo away from a catalogue
word (one letter wrong, missing, extra or two letters swapped), which still
matches at a lower score. Codes match exactly, by prefix, or through the alias
table of old codes.

Ranking, best first: the exact code or an old alias code; a code prefix; then
word matches scored by how many query words matched whole words rather than
prefixes or typos, whether the query words appear in order and next to each other
in the name, and a shorter name; repealed procedures come last.
"""

from __future__ import annotations

import heapq
import re
import threading
from bisect import bisect_left
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlmodel import col

from db.engine import read_session
from db.models import Procedure, ProcedureAlias
from desk.text import fold

_WORD = re.compile(r"[a-z0-9]+")
_CODE_QUERY = re.compile(r"^[0-9][0-9.]*$")
MIN_WORD_QUERY = 2
"""A single letter matches nearly everything; the form asks for two."""


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
        self.entries = {e.id: e for e in entries}
        self.by_code = {e.code: e.id for e in entries}
        self.codes = sorted(self.by_code)
        self.aliases = aliases
        self.postings: dict[str, set[int]] = {}
        for e in entries:
            for w in set(e.words):
                self.postings.setdefault(w, set()).add(e.id)
        self.vocabulary = sorted(self.postings)
        self._word_cache: dict[str, tuple[set[int], dict[int, int]]] = {}

    @classmethod
    def load(cls, engine: Engine) -> CatalogueIndex:
        with read_session(engine) as session:
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
        for pid, code, name, field, status in rows:
            name_words = _WORD.findall(fold(name))
            words = name_words + _WORD.findall(fold(field))
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
                )
            )
        return cls(entries, {old: pid for old, pid in alias_rows})

    def __len__(self) -> int:
        return len(self.entries)

    # --- matching ----------------------------------------------------------------

    def _word_matches(self, word: str) -> tuple[set[int], dict[int, int]]:
        """Ids matching one query word, with a quality per id: 3 whole word,
        2 prefix, 1 one typo away."""
        cached = self._word_cache.get(word)
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
        if not quality and len(word) >= 4:
            for candidate in _edits1(word):
                for pid in self.postings.get(candidate, ()):
                    quality.setdefault(pid, 1)
        result = (set(quality), quality)
        if len(self._word_cache) > 4096:
            self._word_cache.clear()
        self._word_cache[word] = result
        return result

    def _code_hits(self, query: str) -> list[tuple[tuple[float, ...], int, str]]:
        hits: list[tuple[tuple[float, ...], int, str]] = []
        if query in self.by_code:
            hits.append(((0,), self.by_code[query], ""))
        if query in self.aliases:
            hits.append(((1,), self.aliases[query], query))
        i = bisect_left(self.codes, query)
        while i < len(self.codes) and self.codes[i].startswith(query):
            if self.codes[i] != query:
                hits.append(((2, len(self.codes[i])), self.by_code[self.codes[i]], ""))
            i += 1
        for old, pid in self.aliases.items():
            if old.startswith(query) and old != query:
                hits.append(((3, len(old)), pid, old))
        return hits

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        folded = fold(query).strip()
        if not folded:
            return []
        ranked: list[tuple[tuple[float, ...], int, str]] = []
        if _CODE_QUERY.match(folded):
            ranked = self._code_hits(folded)
        words = _WORD.findall(folded)
        if len(folded.replace(" ", "")) < MIN_WORD_QUERY and not ranked:
            return []
        if words and not ranked:
            candidates: set[int] | None = None
            qualities: list[dict[int, int]] = []
            for word in words:
                ids, quality = self._word_matches(word)
                candidates = ids if candidates is None else candidates & ids
                qualities.append(quality)
                if not candidates:
                    break
            phrase = " ".join(words)
            first = words[0]
            entries = self.entries
            if len(qualities) == 1:
                quality = qualities[0]
                for pid in candidates or ():
                    entry = entries[pid]
                    position = entry.text.find(first)
                    ranked.append(
                        (
                            (
                                5,
                                entry.repealed,
                                -quality[pid],
                                position < 0,
                                position,
                                entry.length,
                            ),
                            pid,
                            "",
                        )
                    )
            else:
                for pid in candidates or ():
                    entry = entries[pid]
                    whole = sum(q[pid] for q in qualities)
                    position = entry.text.find(first)
                    ranked.append(
                        (
                            (
                                5,
                                entry.repealed,
                                -whole,
                                phrase not in entry.text,
                                position if position >= 0 else 999,
                                entry.length,
                            ),
                            pid,
                            "",
                        )
                    )
        seen: set[int] = set()
        out: list[Hit] = []
        best = heapq.nsmallest(limit * 2, ranked, key=lambda r: (r[0], self.entries[r[1]].code))
        for _key, pid, alias in best:
            if pid in seen:
                continue
            seen.add(pid)
            e = self.entries[pid]
            out.append(Hit(e.id, e.code, e.name, e.field, e.status, alias))
            if len(out) >= limit:
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
