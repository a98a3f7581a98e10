"""Which of a record's types are flagged, and the balance of genuine and decoy values.

Kept from the code generator as it was: 1-4 flags per record (15/35/30/20 %), rare
(type, label) pairs preferred, every type pushed towards 50/50, a record with both kinds of
label flagging both, and sometimes a type the text never holds (`absent`). The balance bias
shifts every label coin of the next record towards the polarity the run is short of.
"""
from __future__ import annotations

import math
import random
from collections import Counter
from typing import Sequence

K_WEIGHTS = ((1, 15), (2, 35), (3, 30), (4, 20))


def coin_bias(positives: int, negatives: int) -> float:
    """The bias of the next record's coins: above 0.5 when negatives lead."""
    return min(0.8, max(0.3, 0.55 + (negatives - positives) / 200.0))


def weight(pii: str, positive: bool, pos_c: Counter, neg_c: Counter) -> float:
    """Prefer rare (type, label) pairs and push every type towards 50/50."""
    same, other = (pos_c[pii], neg_c[pii]) if positive else (neg_c[pii], pos_c[pii])
    balance = min(3.0, max(0.25, (other + 3.0) / (same + 3.0)))
    return balance / math.sqrt(1.0 + same)


def weighted_pick(rng: random.Random, pool: list[str], positive: bool, pos_c: Counter, neg_c: Counter) -> str:
    return rng.choices(pool, [weight(t, positive, pos_c, neg_c) for t in pool])[0]


def select(rng: random.Random, absent_types: Sequence[str], labels: dict[str, bool],
           pos_c: Counter, neg_c: Counter) -> list[str]:
    """The flagged types of one record (in flag order, without repeats)."""
    pos = [t for t, v in labels.items() if v]
    neg = [t for t, v in labels.items() if not v]
    absent = [t for t in absent_types if t not in labels]
    if absent and (not neg or rng.random() < 0.3):
        for _ in range(min(len(absent), rng.choice([1, 1, 2]))):
            t = weighted_pick(rng, absent, False, pos_c, neg_c)
            absent.remove(t)
            neg.append(t)
    k = rng.choices([k for k, _ in K_WEIGHTS], [w for _, w in K_WEIGHTS])[0]
    k = min(k, len(pos) + len(neg))
    pos_n, neg_n = sum(pos_c.values()), sum(neg_c.values())
    p_pos = min(0.85, max(0.15, 0.5 + (neg_n - pos_n) / 100.0))
    chosen: list[str] = []
    pos_left, neg_left = list(pos), list(neg)
    for _ in range(k):
        want_pos = rng.random() < p_pos
        if want_pos and not pos_left and chosen:
            continue  # keep the polarity balance: don't fill a positive slot with a negative
        if not want_pos and not neg_left and chosen:
            continue
        take_pos = (want_pos and bool(pos_left)) or not neg_left
        pool = pos_left if take_pos else neg_left
        t = weighted_pick(rng, pool, take_pos, pos_c, neg_c)
        pool.remove(t)
        chosen.append(t)
    k = len(chosen)
    if k >= 2 and pos and neg:
        has_p = any(t in pos for t in chosen)
        has_n = any(t in neg for t in chosen)
        if not has_p:
            chosen[rng.randrange(k)] = weighted_pick(rng, pos, True, pos_c, neg_c)
        elif not has_n:
            chosen[rng.randrange(k)] = weighted_pick(rng, neg, False, pos_c, neg_c)
    seen: set[str] = set()
    return [t for t in chosen if not (t in seen or seen.add(t))]
