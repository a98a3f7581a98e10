"""Shared helpers of the content generators (`content_*.py`): values that must stay the same
for one person within a record (their sentiment, their handle, their enrolled template id),
whichever generator draws them first, and phrases that must not repeat within a record."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from beam_pii_tools.datagen.values.context import ValueContext


def remember(ctx: ValueContext, what: str, make: Callable[[], Any]) -> Any:
    """`make()` once per record, person (the call's role and scope) and `what`; later calls
    for the same person get the same value. Kept on the record's entities, so nothing leaks
    between records and the random stream stays the record's own."""
    memo: dict[tuple[str, tuple[str, int]], Any] | None = getattr(ctx.entities, "content_memo", None)
    if memo is None:
        memo = {}
        ctx.entities.content_memo = memo  # type: ignore[attr-defined]
    key = (what, ctx.key)
    if key not in memo:
        memo[key] = make()
    return memo[key]


def fresh_pick(ctx: ValueContext, items: Sequence[Any], tag: str) -> Any:
    """An item of `items` that no earlier call with the same `tag` drew in this record (any
    item once all are used): a chat, an export or a survey file never repeats one message,
    post or comment word for word, as real ones rarely do."""
    used: dict[str, list[Any]] | None = getattr(ctx.entities, "content_used", None)
    if used is None:
        used = {}
        ctx.entities.content_used = used  # type: ignore[attr-defined]
    seen = used.setdefault(tag, [])
    left = [x for x in items if x not in seen] or list(items)
    choice = ctx.pick(left)
    seen.append(choice)
    return choice
