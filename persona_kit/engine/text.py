"""String columns built once per column in Arrow (C++), not row by row in Python objects.

A million names or e-mail addresses assembled by adding numpy object arrays
make a million Python strings per step, and pandas then copies them all into
Arrow. With pyarrow installed, :func:`render_text` gathers each piece from its
vocabulary and joins the pieces in one Arrow call, and the population's pandas
column wraps that array without a copy. Without pyarrow, or for a handful of
rows (the single-persona path), the same strings come out as an object array:
the values never depend on which way they were built.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from persona_kit.engine.kernels import Kernels, for_block

ObjArray = NDArray[np.object_]

ARROW_MIN_ROWS = 256
"""Below this many rows, strings are built as Python objects: Arrow's per-call cost would dominate."""

_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _arrow() -> tuple[ModuleType, ModuleType] | None:
    """pyarrow and pyarrow.compute, or None when the optional dependency is missing."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    return pa, pc


def arrow_enabled(n: int) -> bool:
    """Whether a string column of ``n`` rows is built in Arrow."""
    return n >= ARROW_MIN_ROWS and _arrow() is not None


@dataclass(frozen=True)
class Text:
    """A string column held as an Arrow (large_string) array or chunked array."""

    array: Any

    def __len__(self) -> int:
        return len(self.array)

    def __getitem__(self, key: int | slice | NDArray[np.generic]) -> Any:
        if isinstance(key, (int, np.integer)):
            return self.array[int(key)].as_py()
        if isinstance(key, slice):
            return Text(self.array[key])
        return Text(self.array.take(np.asarray(key)))

    @property
    def values(self) -> ObjArray:
        """The strings, as an object array."""
        out: ObjArray = np.asarray(self.array.to_numpy(zero_copy_only=False), dtype=object)
        return out

    def tolist(self) -> list[Any]:
        """The strings, as a list."""
        return list(self.array.to_pylist())


def arrow_strings(values: Sequence[str] | ObjArray) -> Any:
    """A large_string Arrow array of ``values``."""
    arrow = _arrow()
    assert arrow is not None
    pa = arrow[0]
    return pa.array(values.tolist() if isinstance(values, np.ndarray) else list(values), type=pa.large_string())


_VOCABS: dict[int, tuple[ObjArray, Any]] = {}


def arrow_vocabulary(categories: ObjArray) -> Any:
    """The Arrow form of a coded column's vocabulary, built once per vocabulary array."""
    hit = _VOCABS.get(id(categories))
    if hit is not None and hit[0] is categories:
        return hit[1]
    if len(_VOCABS) > 1024:
        _VOCABS.clear()
    arr = arrow_strings(categories)
    _VOCABS[id(categories)] = (categories, arr)
    return arr


def gather_text(categories: ObjArray, codes: NDArray[np.integer[Any]]) -> Text | ObjArray:
    """``categories[codes]`` as a string column: taken in Arrow when installed and the batch is large, else objects."""
    if not arrow_enabled(int(codes.shape[0])):
        out: ObjArray = categories[codes]
        return out
    return Text(arrow_vocabulary(categories).take(codes))


def join_pieces(pieces: Sequence[Any]) -> Any:
    """Row-wise concatenation of Arrow arrays and literal strings."""
    arrow = _arrow()
    assert arrow is not None
    pa, pc = arrow
    arrays = [pa.scalar(p, type=pa.large_string()) if isinstance(p, str) else p for p in pieces]
    return pc.binary_join_element_wise(*arrays, pa.scalar("", type=pa.large_string()))


def template_pieces(template: str, fields: Mapping[str, Any]) -> list[Any]:
    """A template (``"{first}.{last}"``) split into literals and the named fields, in order."""
    pieces: list[Any] = []
    pos = 0
    for m in _FIELD.finditer(template):
        if m.start() > pos:
            pieces.append(template[pos : m.start()])
        pieces.append(fields[m.group(1)])
        pos = m.end()
    if pos < len(template):
        pieces.append(template[pos:])
    return pieces


Vocabulary = tuple[NDArray[np.integer[Any]], ObjArray]
"""A coded string column: codes into a vocabulary of strings."""


def render_coded_choice(templates: Sequence[str], choice: NDArray[np.int64], fields: Mapping[str, Vocabulary]) -> Any:
    """Row ``i`` rendered with ``templates[choice[i]]`` from coded fields, in Arrow, without moving any row.

    Each template becomes its fields, each with the literal text around it glued on (``"{first}.{last}@{d}"``
    is ``first + "."``, ``last + "@"``, ``d``: a gather from a vocabulary of glued strings, built once).
    Slot ``j`` holds the ``j``-th glued field of every template; each slot is one gather from the vocabulary
    that joins the slot's sources, at the source the row's template names there, and the slots are joined
    row-wise: the same strings as rendering each template's rows on their own, with no sort by template,
    no reordering afterwards, and no literal pieces to join.
    """
    arrow = _arrow()
    assert arrow is not None
    pa = arrow[0]
    glued = [_glued(t) for t in templates]
    choice = np.asarray(choice, dtype=np.intp)
    zeros: NDArray[np.int64] | None = None
    # Each piece as a literal or (vocabulary, codes, whether Arrow takes them as an Arrow array).
    slots: list[_Slot | str] = []
    for j in range(max(len(g) for g in glued)):
        sources: list[tuple[str, str, str]] = []
        of_template = []
        for g in glued:
            source = g[j] if j < len(g) else ("", "", "")
            if source not in sources:
                sources.append(source)
            of_template.append(sources.index(source))
        vocabs = [_glued_vocabulary(fields[name][1] if name else _EMPTY, pre, post) for name, pre, post in sources]
        if len(sources) == 1:
            name, before, _ = sources[0]
            # A template without fields is its text on every row.
            slots.append((arrow_vocabulary(vocabs[0]), fields[name][0], False) if name else before)
            continue
        joined, starts = _joined_vocabulary(vocabs)
        which = np.take(np.asarray(of_template, dtype=np.intp), choice)
        if zeros is None:
            zeros = np.zeros(choice.shape[0], dtype=np.int64)
        per_source = [fields[name][0] if name else zeros for name, _, _ in sources]
        codes = np.choose(which, per_source).astype(np.int64, copy=False)
        codes += np.take(starts, which)
        slots.append((joined, codes, True))
    if all(isinstance(slot, str) for slot in slots):
        return arrow_strings(["".join(cast("list[str]", slots))] * choice.shape[0])
    kern = for_block(int(choice.shape[0]))
    if kern is not None and len(slots) > 1:
        compiled = _join_compiled(kern, slots, int(choice.shape[0]))
        if compiled is not None:
            return compiled
    pieces = [
        slot if isinstance(slot, str) else slot[0].take(pa.array(slot[1]) if slot[2] else slot[1]) for slot in slots
    ]
    if len(pieces) == 1:
        return pieces[0]
    return join_pieces(pieces)


_Slot = tuple[Any, NDArray[np.integer[Any]], bool]


def _join_compiled(kern: Kernels, slots: Sequence[_Slot | str], n: int) -> Any:
    """:func:`join_pieces` of the slots' gathers, by one kernel pass over the rows (the same bytes); None if
    a code is out of its vocabulary (the Arrow path then raises)."""
    arrow = _arrow()
    assert arrow is not None
    pa = arrow[0]
    offsets, data, starts = _slot_vocabulary(tuple(slot if isinstance(slot, str) else slot[0] for slot in slots))
    codes = np.empty((len(slots), n), dtype=np.int64)
    for j, slot in enumerate(slots):
        if isinstance(slot, str):
            codes[j] = starts[j]
        else:
            np.add(slot[1], starts[j], out=codes[j])
    ok, out_offsets, out_data = kern.join_strings(codes, offsets, data)
    if not ok:
        return None
    buffers = [None, pa.py_buffer(out_offsets), pa.py_buffer(out_data)]
    return pa.Array.from_buffers(pa.large_string(), n, buffers, null_count=0)


_SLOT_VOCABS: dict[tuple[int | str, ...], tuple[list[Any], tuple[NDArray[np.int64], NDArray[np.uint8], list[int]]]] = {}


def _slot_vocabulary(vocabs: tuple[Any, ...]) -> tuple[NDArray[np.int64], NDArray[np.uint8], list[int]]:
    """Arrow vocabularies (and literals, one-string vocabularies) end to end as UTF-8 offsets and bytes, with
    where each starts; built once per set (they are cached arrays)."""
    key = tuple(v if isinstance(v, str) else id(v) for v in vocabs)
    hit = _SLOT_VOCABS.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], vocabs, strict=True)):
        return hit[1]
    if len(_SLOT_VOCABS) > 1024:
        _SLOT_VOCABS.clear()
    strings: list[str] = []
    starts = []
    for v in vocabs:
        starts.append(len(strings))
        strings.extend([v] if isinstance(v, str) else v.to_pylist())
    encoded = [text.encode("utf-8") for text in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    out = (offsets, data, starts)
    _SLOT_VOCABS[key] = (list(vocabs), out)
    return out


_EMPTY = np.asarray([""], dtype=object)


@cache
def _glued(template: str) -> tuple[tuple[str, str, str], ...]:
    """A template as (field, literal before it, literal after it) triples; a template without fields is
    one ("", its text, "")."""
    fields = list(_FIELD.finditer(template))
    if not fields:
        return (("", template, ""),)
    out = []
    for i, m in enumerate(fields):
        before = template[: m.start()] if i == 0 else ""
        end = fields[i + 1].start() if i + 1 < len(fields) else len(template)
        out.append((m.group(1), before, template[m.end() : end]))
    return tuple(out)


_GLUED: dict[tuple[int, str, str], tuple[ObjArray, ObjArray]] = {}


def _glued_vocabulary(vocab: ObjArray, before: str, after: str) -> ObjArray:
    """``before + v + after`` for every ``v`` of a vocabulary (the vocabulary itself when both are empty)."""
    if not before and not after:
        return vocab
    key = (id(vocab), before, after)
    hit = _GLUED.get(key)
    if hit is not None and hit[0] is vocab:
        return hit[1]
    if len(_GLUED) > 1024:
        _GLUED.clear()
    out = np.empty(vocab.shape[0], dtype=object)
    out[:] = [before + v + after for v in vocab.tolist()]
    _GLUED[key] = (vocab, out)
    return out


_JOINED: dict[tuple[int, ...], tuple[list[ObjArray], Any, NDArray[np.int64]]] = {}


def _joined_vocabulary(vocabs: list[ObjArray]) -> tuple[Any, NDArray[np.int64]]:
    """One Arrow vocabulary of several, end to end, and where each starts (built once per set of vocabularies)."""
    key = tuple(id(v) for v in vocabs)
    hit = _JOINED.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], vocabs, strict=True)):
        return hit[1], hit[2]
    if len(_JOINED) > 1024:
        _JOINED.clear()
    starts = np.zeros(len(vocabs), dtype=np.int64)
    np.cumsum([v.shape[0] for v in vocabs[:-1]], out=starts[1:])
    joined = arrow_strings(np.concatenate(vocabs))
    _JOINED[key] = (list(vocabs), joined, starts)
    return joined, starts


__all__ = [
    "ARROW_MIN_ROWS", "Text", "Vocabulary", "arrow_enabled", "arrow_strings", "arrow_vocabulary", "gather_text",
    "join_pieces", "render_coded_choice",
]  # fmt: skip
