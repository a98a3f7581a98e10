"""The value generators' registry: each generator is registered by name with the PII type it
marks and whether its values are genuine (a real-seeming person's data) or decoys (the
look-alikes users see flagged: role mailboxes, toll-free lines, test cards).

Templates call generators by name (`{email}`, `{tollfree_phone:US}`); the builder reads the
type and polarity from here to label records, and the family lint reads them to check that a
`$false` branch never holds a genuine value of its field's type.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

GeneratorFn = Callable[..., Any]


@dataclass(frozen=True)
class Generator:
    """One named value generator. `genuine` is True (marks `pii` true), False (a decoy: marks
    it false unless a genuine value made it true) or None (neutral: marks nothing)."""

    name: str
    fn: GeneratorFn
    pii: str | None
    genuine: bool | None
    summary: str
    also: tuple[tuple[str, str], ...] = ()  # (type, part): more types the value marks alike

    def marks(self) -> tuple[str, ...]:
        """Every type this generator marks (its own first)."""
        return ((self.pii,) if self.pii else ()) + tuple(t for t, _ in self.also)


GENERATORS: dict[str, Generator] = {}


def generator(name: str, pii: str | None = None, genuine: bool | None = None,
              also: dict[str, str] | None = None) -> Callable[[GeneratorFn], GeneratorFn]:
    """Register `fn(ctx, *args)` under `name`. A type without a polarity is a mistake.
    `also` maps more types the value marks to the part of the value that holds them (a home
    address holds a postcode)."""
    if (pii is None) != (genuine is None):
        raise ValueError(f"generator {name!r}: give both the type and the polarity, or neither")

    def register(fn: GeneratorFn) -> GeneratorFn:
        if name in GENERATORS:
            raise ValueError(f"generator {name!r} registered twice")
        summary = " ".join((fn.__doc__ or "").strip().split("\n\n")[0].split())
        from beam_pii_tools.datagen.type_names import canonical

        marks = None if pii is None else canonical(pii)
        others = tuple((canonical(t), part) for t, part in (also or {}).items())
        GENERATORS[name] = Generator(name, fn, marks, genuine, summary, others)
        return fn

    return register


@dataclass(frozen=True)
class Value:
    """A generated value with named parts a template can reach as `{slot.part}` (a national
    id and the name of its kind, a landmark's coordinates and its place)."""

    text: str
    parts: dict[str, Any]

    def __str__(self) -> str:
        return self.text
