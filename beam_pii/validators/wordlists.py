"""The word lists validators read (role mailboxes, test card numbers, reserved ranges, …).

They are data, shipped under `beam_pii/data/wordlists/` and read through `importlib.resources`
(so they load from a wheel or a zip too), once per process.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def wordlist(name: str) -> dict[str, Any]:
    """The named list file as a dict (its `_about` entry says what it holds and why)."""
    resource = resources.files("beam_pii") / "data" / "wordlists" / f"{name}.json"
    return json.loads(resource.read_text(encoding="utf-8"))


def words(name: str, key: str) -> frozenset[str]:
    """One list of a word-list file, as a frozen set."""
    return frozenset(wordlist(name)[key])
