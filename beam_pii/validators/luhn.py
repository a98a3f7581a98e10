"""`luhn`: a card-shaped number that fails the Luhn check cannot be a payment card number."""
from __future__ import annotations

from typing import ClassVar

from stdnum import luhn

from beam_pii.validators.base import Rejection, Validator, all_or_only, plural_form
from beam_pii.validators.text import (MASKED_CARD_RE, NON_CARD_ID_LABEL_RE, digit_runs,
                                      group_windows, is_masked_value, other_id_labelled_digits)
from beam_pii.validators.wordlists import words

# Numbers the card schemes and processors publish for testing (Visa, Mastercard, Amex,
# Discover, Diners, JCB test cards in processor docs). They pass Luhn but no account holds them.
PUBLISHED_TEST_CARDS = words("test_card_numbers", "numbers")
_MAX_VISIBLE_MASKED_DIGITS = 10  # PCI DSS truncation: first six and last four at most


def _masked_card_count(text: str) -> int | None:
    """How many masked card numbers the text holds, or ``None`` if any of them shows more
    digits than a truncated card number may (it could still be read as one)."""
    distinct: set[str] = set()  # JSON input is scanned twice (raw and decoded)
    for match in MASKED_CARD_RE.finditer(text):
        value = match.group().strip().lstrip("#")  # "Order #4539...": a number sign, not a mask
        if not is_masked_value(value):
            continue
        if sum(c.isdigit() for c in value) > _MAX_VISIBLE_MASKED_DIGITS:
            return None
        distinct.add(value)
    return len(distinct)


class LuhnValidator(Validator):
    """Credit Card Number: reject when every card-shaped number fails Luhn (or is one of the
    schemes' published test numbers, `PUBLISHED_TEST_CARDS`).

    Every payment card number issued by the major schemes carries a Luhn check
    digit, so a 13-19 digit number that fails it cannot be a card number.  A
    random digit string fails with probability 9/10, which makes this the
    cheapest way to discard order numbers, tracking IDs and timestamps that a
    regex detector mistook for cards.

    Abstains when:
    * no card-shaped number is found;
    * any candidate passes Luhn (it may be a card);
    * any candidate starts with a prefix whose cards are not guaranteed to use
      Luhn (China UnionPay 62, Diners Club enRoute 2014/2149);
    * a masked card number shows more than ten digits.

    A text whose only card numbers are masked to the first six and last four digits at most
    ("**** **** **** 1234", "411111******1111") is rejected: PCI DSS treats such a
    truncated number as no longer a card number.  A number labelled as another identifier
    ("Order #5364364653599568") is not a candidate.
    """

    name: ClassVar[str] = "luhn"

    _MIN_LEN: ClassVar[int] = 13
    _MAX_LEN: ClassVar[int] = 19
    _NO_LUHN_PREFIXES: ClassVar[tuple[str, ...]] = ("62", "2014", "2149")

    def check_prepared(self, text: str) -> Rejection | None:
        runs: set[str] = set()  # distinct runs, for the count in the reason
        checked: set[str] = set()
        test_cards = 0
        other_ids = other_id_labelled_digits(text, NON_CARD_ID_LABEL_RE)
        relabelled: set[str] = set()
        for groups in digit_runs(text):
            windows = set(group_windows(groups, self._MIN_LEN, self._MAX_LEN))
            if not windows:
                continue
            joined = "".join(groups)
            if joined in other_ids and self._MIN_LEN <= len(joined) <= self._MAX_LEN and luhn.is_valid(joined):
                relabelled.add(joined)  # one labelled value that happens to pass Luhn
                continue
            runs.add(joined)
            for number in windows - checked:
                if number in PUBLISHED_TEST_CARDS:
                    test_cards += 1
                    continue
                if number.startswith(self._NO_LUHN_PREFIXES) or luhn.is_valid(number):
                    return None
            checked |= windows
        masked = _masked_card_count(text)
        if masked is None:
            return None
        if not runs:
            if relabelled and not masked:
                n = len(relabelled)
                return self._reject(
                    f"{all_or_only(n, 'card-shaped number', 'card-shaped numbers')} {plural_form(n, 'is', 'are')} "
                    "labelled as another kind of identifier (order, invoice, ticket, ...)")
            if not masked:
                return None
            return self._reject(
                f"{all_or_only(masked, 'card number', 'card numbers')} {plural_form(masked, 'is', 'are')} masked "
                "(at most the first six and last four digits shown)")
        n = len(runs)
        return self._reject(
            f"{all_or_only(n, 'card-shaped number', 'card-shaped numbers')} "
            f"{plural_form(n, 'fails', 'fail')} the Luhn check"
            + (f" or {plural_form(n, 'is a', 'are')} published test card {plural_form(n, 'number', 'numbers')}"
               if test_cards else "")
        )


