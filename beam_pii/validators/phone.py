"""`toll_free_number`: toll-free, premium-rate, shared-cost and fictional numbers, forms'
placeholders and organisations' switchboards are nobody's personal line."""
from __future__ import annotations

import re
from typing import ClassVar

import phonenumbers
from stdnum import luhn

from beam_pii.validators.base import Rejection, Validator, all_or_only, plural_form
from beam_pii.validators.luhn import PUBLISHED_TEST_CARDS
from beam_pii.validators.text import DIGITS_RE, other_id_labelled_digits
from beam_pii.validators.wordlists import wordlist

_NANP_FICTIONAL = wordlist("fictional_phone_ranges")["nanp_fictional_exchange"]

# A phone-like run: optional "+", digits joined by spaces, dots, hyphens,
# dashes, slashes or parentheses.  Line breaks end a run.
PHONE_RUN_RE = re.compile(r"(?:\+[ \t]*+)?\(?[0-9](?:[0-9 \t().\-/\u2010-\u2015]*[0-9])?")
VANITY_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:\+?1[ \-.]?)?\(?[0-9]{3}\)?[ \-.]?"
    r"(?=[A-Z0-9\-. ]{0,3}[A-Z])[A-Z0-9]{2,4}[ \-.]?[A-Z0-9]{3,5}(?![A-Za-z0-9])"
)
_ISO_DATE_RE = re.compile(r"(?:19|20)[0-9]{2}[\-/.](0?[1-9]|1[0-2])[\-/.](0?[1-9]|[12][0-9]|3[01])")
_SLASH_DATE_RE = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/(?:19|20)[0-9]{2}")
_DOTTED_QUAD_RE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}")
_DAY_FIRST_DATE_RE = re.compile(r"(?:0?[1-9]|[12][0-9]|3[01])\.(?:0?[1-9]|1[0-2])\.(?:19|20)[0-9]{2}")
_COMPACT_DATE_RE = re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
_SWITCHBOARD_RE = re.compile(r"(?:\+49|\+43|0)[0-9 ()/]*[0-9]-0")
MIN_PHONE_DIGITS = 7
_MAX_PHONE_DIGITS = 15
_NON_PERSONAL_PHONE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
    }
)


def _is_fictional_555(number: phonenumbers.PhoneNumber) -> bool:
    """NANP 555-0100..555-0199 is reserved for fiction and never assigned."""
    if number.country_code != 1:
        return False
    national = str(number.national_number)
    if len(national) == 7:
        return national.startswith(_NANP_FICTIONAL)
    return len(national) == 10 and national[3:8] == _NANP_FICTIONAL


# Ofcom's ranges for drama and examples (never allocated): 07700 900xxx, 020 7946 0xxx,
# 0113/0114/0115/0116/0117/0118/0121/0131/0141/0151/0161/0191 496 0xxx, 01632 960xxx,
# 028 9649 6xxx, 029 2018 0xxx, 0808 157 0xxx, 0909 879 0xxx.
_UK_FICTIONAL_PREFIXES = tuple(wordlist("fictional_phone_ranges")["uk_prefixes"])


def _is_fictional_uk(number: phonenumbers.PhoneNumber) -> bool:
    return number.country_code == 44 and str(number.national_number).startswith(_UK_FICTIONAL_PREFIXES)


def _phone_is_non_personal(number: phonenumbers.PhoneNumber) -> bool:
    if _is_fictional_555(number) or _is_fictional_uk(number):
        return True
    return phonenumbers.number_type(number) in _NON_PERSONAL_PHONE_TYPES


def is_not_a_phone(run: str) -> bool:
    """Dates and dotted quads have phone-like digit counts but are not
    numbers anyone dials; without this, any timestamp in a record would stop
    the validator from ever rejecting."""
    run = run.strip()
    return bool(
        _ISO_DATE_RE.fullmatch(run) or _SLASH_DATE_RE.fullmatch(run) or _DOTTED_QUAD_RE.fullmatch(run)
        or _DAY_FIRST_DATE_RE.fullmatch(run) or _COMPACT_DATE_RE.fullmatch(run)
    )


def _is_code_or_card(text: str, match: re.Match[str], digits: str) -> bool:
    """Runs that are part of something else: glued to letters on either side (an
    alphanumeric code such as "TR46492382"), or longer than any phone number (E.164 allows 15
    digits) and written as one block or in groups of four, as card and account numbers are."""
    start, end = match.start(), match.end()
    if (start > 0 and text[start - 1].isalpha()) or (end < len(text) and text[end].isalpha()):
        return True
    if len(digits) < _MAX_PHONE_DIGITS:
        return False
    groups = DIGITS_RE.findall(match.group())
    if len(digits) > _MAX_PHONE_DIGITS:
        return len(groups) == 1 or all(len(g) == 4 for g in groups[:-1])
    # 15 digits in one block that pass Luhn (or are a published test card): an Amex-length card
    return len(groups) == 1 and (digits in PUBLISHED_TEST_CARDS or luhn.is_valid(digits))


def _is_switchboard_form(run: str) -> bool:
    """German and Austrian numbers written with the extension "-0" (DIN 5008: "030 2290-0",
    "+49 89 903-0") are an organisation's switchboard, never a private line."""
    run = run.strip()
    if not _SWITCHBOARD_RE.fullmatch(run):
        return False
    region = "AT" if run.startswith("+43") else "DE"
    try:
        number = phonenumbers.parse(run[:-2], region)
    except phonenumbers.NumberParseException:
        return False
    return number.country_code in (43, 49) and phonenumbers.is_possible_number(number)


# NANP toll-free area codes: the whole NPA is toll-free, whatever exchange follows.
_NANP_TOLL_FREE_RE = re.compile(
    r"(?:\+?1[ \-.]?\(?|\()8(?:00|33|44|55|66|77|88)\)?[ \-.]?[0-9]{3}[ \-.]?[0-9]{4}")


def _is_nanp_toll_free(run: str) -> bool:
    """"1-877-148-9219", "(800) 123-4567": written with the NANP country code or the
    area code in brackets, so no other region's reading applies."""
    return bool(_NANP_TOLL_FREE_RE.fullmatch(run.strip()))


def _is_placeholder_number(digits: str) -> bool:
    """"000-000-0000", "999 999 999": one digit repeated is a form's placeholder."""
    return len(set(digits)) == 1


def _parse_used_all_digits(number: phonenumbers.PhoneNumber, digits: str) -> bool:
    """Whether the parsed number accounts for every digit of the run.

    ``phonenumbers.parse`` may ignore trailing text; a run is only judged by
    a whole-run parse if nothing but a country code / dialling prefix was
    left over."""
    national = str(number.national_number)
    if not digits.endswith(national):
        return False
    prefix = digits[: len(digits) - len(national)]
    cc = str(number.country_code)
    return prefix in ("", "0", cc, cc + "0", "00" + cc, "011" + cc, "00" + cc + "0")


# A number written without a country code is read as a national number of each of these
# regions; it only counts as non-personal when every region where it is valid agrees
# ("0800 123 4567" is freephone in GB and DE; "1800 123 456" in AU and IE). Italy is left out:
# its fixed lines keep the leading 0 and its metadata accepts almost any 0-leading run, while
# no Italian subscriber number starts with the 0 that follows an area code (080 0…), so the
# Italian reading would only ever veto, never add certainty.
_NATIONAL_READING_REGIONS = ("US", "CA", "GB", "IE", "AU", "NZ", "DE", "AT", "CH", "FR", "NL",
                             "BE", "ES", "SE", "NO", "DK", "PL", "PT")


def _written_as_national(number: phonenumbers.PhoneNumber, digits: str) -> bool:
    """Whether the run's digits are the number as its region writes it nationally (with the
    trunk 0 where that region dials one): "1800 366 239" reads as Australian freephone, not
    as an Austrian fixed line that Austria would write "01 800366239"."""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(c for c in national if c.isdigit()) == digits


def _national_readings_non_personal(run: str, digits: str) -> str | None:
    """The number, when every valid national reading of a run without "+" is non-personal."""
    if run.lstrip().startswith("+"):
        return None
    found = None
    for region in _NATIONAL_READING_REGIONS:
        try:
            number = phonenumbers.parse(run, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(number) or not _written_as_national(number, digits):
            continue
        if not _phone_is_non_personal(number):
            return None
        found = found or f"{number.country_code}-{number.national_number}"
    return found


def _phone_run_non_personal_numbers(run: str) -> list[str] | None:
    """The non-personal numbers making up a phone-like run, or ``None`` if
    the run holds (or may hold) anything else.

    First the whole run is parsed (default region US); if that fails, or
    finds a personal number, the run may hold several numbers ("800-555-0199
    888-555-0123"), so phonenumbers' matcher splits it, and every digit of
    the run must belong to a non-personal match."""
    digits = "".join(c for c in run if c.isdigit())
    try:
        number = phonenumbers.parse(run, "US")
    except phonenumbers.NumberParseException:
        number = None
    if (
        number is not None
        and _parse_used_all_digits(number, digits)
        and _phone_is_non_personal(number)
    ):
        return [f"{number.country_code}-{number.national_number}"]
    national = _national_readings_non_personal(run, digits)
    if national is not None:
        return [national]
    run_digits = len(digits)
    covered = 0
    found: list[str] = []
    for match in phonenumbers.PhoneNumberMatcher(run, "US", leniency=phonenumbers.Leniency.POSSIBLE):
        if not _phone_is_non_personal(match.number):
            return None
        covered += sum(c.isdigit() for c in match.raw_string)
        found.append(f"{match.number.country_code}-{match.number.national_number}")
    if covered == 0 or covered != run_digits:
        return None
    return found


class TollFreeNumberValidator(Validator):
    """Phone Number / Fax Number: reject when every phone-like number is a
    toll-free, premium-rate or shared-cost number, or in a fictional range
    (NANP 555-0100..555-0199, Ofcom's drama numbers).  A number without a
    country code counts only when it is non-personal in every region where it
    is a valid national number.

    Those numbers belong to businesses (or to no one), never to a person; so do a form's
    placeholder (one digit repeated) and a German or Austrian switchboard written with the
    extension "-0".  Candidates are generous: every run of >= 7 digits joined by phone
    separators, plus vanity numbers (1-800-FLOWERS).  Any candidate that does not parse, or
    parses to any other type (fixed line, mobile, unknown), makes the validator abstain.
    Not candidates: dates (ISO, slash, day-first dotted, compact yyyymmdd), dotted quads,
    runs glued to letters (alphanumeric codes), runs longer than 15 digits written as one
    block or in fours (cards, accounts), and digits labelled as another identifier
    ("Licence no. 791 783 940", "MRN 57464872")."""

    name: ClassVar[str] = "toll_free_number"

    def check_prepared(self, text: str) -> Rejection | None:
        seen: set[str] = set()
        other_ids = other_id_labelled_digits(text)
        for match in PHONE_RUN_RE.finditer(text):
            run = match.group()
            digits = "".join(c for c in run if c.isdigit())
            if (len(digits) < MIN_PHONE_DIGITS or is_not_a_phone(run) or digits in other_ids
                    or _is_code_or_card(text, match, digits)):
                continue
            if _is_placeholder_number(digits) or _is_switchboard_form(run) or _is_nanp_toll_free(run):
                seen.add(digits)
                continue
            numbers = _phone_run_non_personal_numbers(run)
            if numbers is None:
                return None
            seen.update(numbers)
        for match in VANITY_RE.finditer(text):
            try:
                number = phonenumbers.parse(match.group(), "US")
            except phonenumbers.NumberParseException:
                return None
            if not _phone_is_non_personal(number):
                return None
            seen.add(f"{number.country_code}-{number.national_number}")
        if not seen:
            return None
        n = len(seen)
        return self._reject(
            f"{all_or_only(n, 'phone number', 'phone numbers')} found {plural_form(n, 'is', 'are')} "
            "toll-free, premium-rate, shared-cost, fictional, a placeholder or an "
            "organisation's switchboard"
        )


