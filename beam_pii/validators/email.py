"""`role_mailbox`: role and no-reply mailboxes, reserved example domains and documentation's
stand-in addresses belong to no identifiable person."""
from __future__ import annotations

import re
from typing import ClassVar

from beam_pii.validators.base import Rejection, Validator, all_or_only, plural_form
from beam_pii.validators.wordlists import wordlist, words

_ROLE = wordlist("role_mailboxes")
_ROLE_LOCAL_PARTS = frozenset(_ROLE["local_parts"])
# Compared after removing "-", "_" and "." (so "do-not-reply", "no.reply").
# Only multi-word roles: compacting "h.r" to "hr" would misfire on initials.
_ROLE_COMPACT = frozenset(_ROLE["compact_local_parts"])
_NOREPLY_PREFIXES = tuple(_ROLE["noreply_prefixes"])
_FREEMAIL_LABELS = words("freemail_providers", "labels")
_FREEMAIL_DOMAINS = words("freemail_providers", "domains")
_RESERVED_DOMAINS = words("placeholder_mailboxes", "reserved_domains")
_RESERVED_TLDS = words("placeholder_mailboxes", "reserved_tlds")
# Addresses that documentation and forms use as stand-ins; their domains are real, but
# no one's mail goes there.
_PLACEHOLDER_ADDRESSES = words("placeholder_mailboxes", "addresses")

_EMAIL_LOCAL_CHARS = r"[\w.+%'!#$&*/=?^`{|}~\-]"
_EMAIL_RE = re.compile(
    rf"(?<![\w.+%'!#$&*/=?^`{{|}}~\-])({_EMAIL_LOCAL_CHARS}+)@([\w\-]+(?:\.[\w\-]+)*)"
)
# Encodings of "@" seen in scraped and exported data.
_AT_ENCODINGS_RE = re.compile(r"%40|&#0*64;|&#x0*40;|&commat;|\\u0040", re.IGNORECASE)

_OB_AT = r"(?:\s*[\[\(\{<]\s*at\s*[\]\)\}>]\s*|\s+at\s+|\s*@\s*)"
_OB_DOT = r"(?:\s*[\[\(\{<]\s*dot\s*[\]\)\}>]\s*|\s+dot\s+|\.)"
# Anything that might be an e-mail address, including obfuscated forms
# ("jane at gmail dot com", "jane[at]acme[dot]org", "jane @ gmail.com").
_LOOSE_EMAIL_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"[^\s@]@[^\s@]"),  # any glued "@" (jane@localhost, "x"@y)
    re.compile(r"[\w.+\-]\s*@\s*[\w\-]+\s*\.\s*[A-Za-z]{2,}"),  # spaced "@"
    re.compile(
        rf"(?<![\w.+\-])[\w.+\-]+{_OB_AT}[\w\-]+(?:{_OB_DOT}[\w\-]+)*?"
        rf"(?:\s*[\[\(\{{<]\s*dot\s*[\]\)\}}>]\s*|\s+dot\s+)[A-Za-z]{{2,}}",
        re.IGNORECASE,
    ),  # "... dot com" / "[dot]com"
    re.compile(r"(?<![\w.+\-])[\w.+\-]+\s*[\[\(\{<]\s*at\s*[\]\)\}>]\s*[\w\-]", re.IGNORECASE),
    re.compile(r"(?<![\w.+\-])[\w.+\-]+\s+at\s+[\w\-]+\.[A-Za-z]{2,}\b", re.IGNORECASE),
    re.compile(r"mailto:", re.IGNORECASE),
)


def _deobfuscate_at(text: str) -> str:
    return _AT_ENCODINGS_RE.sub("@", text)


def has_loose_email(text: str) -> bool:
    text = _deobfuscate_at(text)
    return any(p.search(text) for p in _LOOSE_EMAIL_RES)


def _domain_is_reserved(domain: str) -> bool:
    """RFC 2606 / RFC 6761 names that can never reach a real mailbox."""
    labels = domain.split(".")
    if domain in _RESERVED_DOMAINS or labels[-1] in _RESERVED_TLDS:
        return True
    return ".".join(labels[-2:]) in _RESERVED_DOMAINS


def _domain_is_freemail(domain: str) -> bool:
    if domain in _FREEMAIL_DOMAINS:
        return True
    return any(label in _FREEMAIL_LABELS for label in domain.split(".")[:-1])


def _local_is_role(local: str) -> bool:
    local = local.split("+", 1)[0].strip("'")
    if local in _ROLE_LOCAL_PARTS:
        return True
    compact = re.sub(r"[\-_.]", "", local)
    return compact in _ROLE_COMPACT or compact.startswith(_NOREPLY_PREFIXES)




def _email_is_non_personal(local: str, domain: str) -> bool:
    local, domain = local.lower(), domain.lower().rstrip(".")
    if _domain_is_reserved(domain) or f"{local}@{domain}" in _PLACEHOLDER_ADDRESSES:
        return True
    return _local_is_role(local) and not _domain_is_freemail(domain)


class RoleMailboxValidator(Validator):
    """Email Address: reject when every address found is a role/no-reply
    mailbox or uses a reserved example domain.

    support@, noreply@, postmaster@ ... belong to an organisation, not to an
    identifiable person, and example.com / *.test / *.invalid / localhost can
    never reach anyone; nor can documentation's stand-ins (test@test.com,
    foo@bar.com).  A role name at a consumer provider (info@gmail.com)
    is an individual's account and makes the validator abstain.  So does any
    e-mail-like text it cannot parse (obfuscated "jane at gmail dot com",
    spaced "jane @ gmail.com", "mailto:"), because that may be a personal
    address it failed to extract."""

    name: ClassVar[str] = "role_mailbox"

    def check_prepared(self, text: str) -> Rejection | None:
        text = _deobfuscate_at(text)
        seen: set[str] = set()
        for match in _EMAIL_RE.finditer(text):
            local, domain = match.group(1), match.group(2)
            if not _email_is_non_personal(local, domain):
                return None
            seen.add(match.group().lower())
        if not seen:
            return None
        residual = _EMAIL_RE.sub(" ", text)
        if has_loose_email(residual):
            return None
        n = len(seen)
        return self._reject(
            f"{all_or_only(n, 'email address', 'email addresses')} found "
            f"{plural_form(n, 'is a', 'are')} role/no-reply "
            f"{plural_form(n, 'mailbox', 'mailboxes')} or "
            f"{plural_form(n, 'uses a reserved example domain', 'use reserved example domains')}"
        )


