"""Template families used only to widen the adapter's training data.

Why a second set: the split in `beam_pii_tools.datagen.legacy_generate` is by template family, so a type whose
genuine values occur in only a handful of train families is learnt from those families' cues
(on the shipped split, Health Insurance ID had 20 train positives, none in JSON; Marital
Status 3 in JSON), and dev families that show the type in another context score it near zero.
These families combine every type with many contexts: a field library (one entry per type:
keys, a genuine value, and non-personal variants) placed into person records (JSON and
notes) and into records about no individual (company profiles, aggregates, form templates).

They never enter `datagen.FAMILIES`, so the dev split, its figures and the benchmark's
workload stay what they were; `training` adds records generated from them to the train split.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from beam_pii_tools.datagen import legacy_templates as T
from beam_pii_tools.datagen.legacy_templates import B, Family, Person

GenuineFn = Callable[[B, Person], str]
DecoyFn = Callable[[B], tuple[str, str]]


@dataclass(frozen=True)
class FieldSpec:
    """One type's field: the words a record uses for it, a genuine value about the record's
    person, and type-specific non-personal values that bring their own key ("support line")."""
    pii: str
    keys: tuple[str, ...]
    genuine: GenuineFn
    decoys: tuple[DecoyFn, ...] = ()


def _const(b: B, pii: str, pool: list[str]) -> str:
    return b.val(pii, b.pick(pool))


def _geo_decoy(b: B) -> tuple[str, str]:
    value, where = b.geo_nonpersonal()
    return f"landmark {where}", value


# Organisations a person record mentions besides the person: their lines, addresses and ids
# belong to the organisation. Without these, the adapter learnt "a fax/address/postcode field
# in a record about someone is theirs" and kept a pharmacy's fax or a venue's address.
_ORG_CONTEXTS = ("pharmacy", "clinic", "head office", "venue", "store", "branch", "insurer",
                 "vendor", "supplier", "hotel", "registered office", "HQ", "front desk", "billing dept",
                 "warehouse", "embassy", "school office", "dealership", "court", "council", "lab",
                 "airline", "landlord agency", "bank branch", "parking operator")


def _org(what: str, value: Callable[[B], str]) -> DecoyFn:
    """A decoy whose key names an organisation's field ("pharmacy fax")."""
    return lambda b: (f"{b.pick(_ORG_CONTEXTS)} {what}", value(b))


def _payer_id(b: B) -> str:
    return b.pick([b.digits(5, True), f"{b.letters(2).upper()}{b.digits(3)}", f"GRP-{b.digits(6)}",
                   f"{b.digits(2)}-{b.digits(5)}"])


def _store_number(b: B) -> str:
    return b.pick([f"#{b.ri(10, 999)}", f"T{b.digits(6)}", f"{b.digits(8, True)}", f"MID {b.digits(9)}"])


def _course_code(b: B) -> str:
    return f"{b.pick(['CS', 'MATH', 'BIO', 'HIST', 'ECON', 'CHEM'])}-{b.ri(100, 499)}"


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(T.EMAIL, ("email", "contact email", "personal email"), lambda b, p: b.email(p),
              (lambda b: ("support mailbox", b.role_email()), lambda b: ("example email", b.placeholder_email()),
               _org("email", lambda b: b.role_email()))),
    FieldSpec(T.PHONE, ("phone", "mobile", "cell phone", "contact number"), lambda b, p: b.phone(p.country),
              (lambda b: ("hotline", b.phone_tollfree()), lambda b: ("switchboard", b.phone_switchboard()),
               lambda b: ("sample number", b.phone_fictional()), _org("phone", lambda b: b.phone_switchboard()),
               _org("main line", lambda b: b.phone_switchboard()))),
    FieldSpec(T.ADDRESS, ("home address", "address", "residence"), lambda b, p: b.home_address(p),
              (lambda b: ("office address", b.business_address()), lambda b: ("address format example", b.placeholder_address()),
               _org("address", lambda b: b.business_address()), _org("location", lambda b: b.business_address()))),
    FieldSpec(T.POSTAL, ("postcode", "zip", "postal code"), lambda b, p: b.val(T.POSTAL, b.home_postcode(p)),
              (lambda b: ("warehouse postcode", b.business_postcode()), _org("postcode", lambda b: b.business_postcode()))),
    FieldSpec(T.DOB, ("date of birth", "dob", "birth date"), lambda b, p: b.dob(p),
              (lambda b: ("policy start", b.other_date()), lambda b: ("last updated", b.other_date()),
               lambda b: (b.pick(["start date", "expiry date", "issue date", "date of visit", "renewal date",
                                  "date of incident", "valid until"]), b.other_date()))),
    FieldSpec(T.AGE, ("age", "age years"), lambda b, p: b.age(p),
              (lambda b: ("average member age", f"{b.ri(28, 61)}.{b.ri(0, 9)}"),)),
    FieldSpec(T.SSN, ("ssn", "social security number"), lambda b, p: b.ssn(),
              (lambda b: ("ssn format", b.ssn_shaped()), lambda b: ("ticket ref", b.ssn_like_id()))),
    FieldSpec(T.CARD, ("card number", "credit card", "payment card"), lambda b, p: b.card(),
              (lambda b: ("masked card", b.masked_card()), lambda b: ("sandbox test card", b.test_card()),
               lambda b: ("voucher code", b.card_luhn_fail()))),
    FieldSpec(T.IBAN, ("iban", "payout iban"), lambda b, p: b.iban(),
              (lambda b: ("company iban", b.company_iban()), lambda b: ("iban example", b.iban_invalid()),
               _org("iban", lambda b: b.company_iban()))),
    FieldSpec(T.BANK, ("bank account", "account for refunds"), lambda b, p: b.bank_account(),
              (lambda b: ("merchant account", b.company_bank_account()), _org("account", lambda b: b.company_bank_account()))),
    FieldSpec(T.IP, ("client ip", "login ip", "ip address"), lambda b, p: b.ip_public(),
              (lambda b: ("gateway ip", b.ip_nonpersonal()),)),
    FieldSpec(T.MAC, ("device mac", "mac address"), lambda b, p: b.mac(),
              (lambda b: ("test adapter mac", b.mac_nonpersonal()),)),
    FieldSpec(T.PASSPORT, ("passport number", "passport no"), lambda b, p: b.passport(p.country),
              (lambda b: ("specimen passport", b.passport_specimen()),)),
    FieldSpec(T.DL, ("driver license", "driving licence number"), lambda b, p: b.drivers_license(),
              (lambda b: ("licence format sample", b.dl_specimen()),)),
    FieldSpec(T.NATID, ("national id", "id number"), lambda b, p: b.national_id(p.country)[0],
              (lambda b: ("specimen id", b.natid_specimen()),)),
    FieldSpec(T.TAXID, ("tax id", "taxpayer number"), lambda b, p: b.tax_id()[0],
              (lambda b: ("company vat id", b.company_tax_id()), _org("vat id", lambda b: b.company_tax_id()),
               _org("tax id", lambda b: b.company_tax_id()))),
    FieldSpec(T.MRN, ("mrn", "medical record number", "patient number"), lambda b, p: b.mrn()),
    FieldSpec(T.HINS, ("member id", "insurance id", "health plan id", "policy number"), lambda b, p: b.health_ins(),
              (lambda b: (b.pick(["insurer payer id", "payer id", "group number", "plan code", "insurer code"]),
                          _payer_id(b)),)),
    FieldSpec(T.COND, ("diagnosis", "condition", "medical history"), lambda b, p: b.condition(),
              (lambda b: ("study focus", b.pick(T.CONDITIONS)),)),
    FieldSpec(T.MED, ("medication", "current prescription"), lambda b, p: b.medication(),
              (lambda b: ("formulary item", b.pick(T.MEDICATIONS)),)),
    FieldSpec(T.USER, ("username", "login", "handle"), lambda b, p: b.username(p),
              (lambda b: ("service account", b.system_user()),)),
    FieldSpec(T.PASSWORD, ("password", "temp password", "pwd"), lambda b, p: b.password(),
              (lambda b: ("password from env", b.password_placeholder()),)),
    FieldSpec(T.GEO, ("last location", "gps", "coordinates"), lambda b, p: b.geo(), (_geo_decoy,)),
    FieldSpec(T.PLATE, ("licence plate", "vehicle plate", "registration"), lambda b, p: b.plate(),
              (lambda b: ("demo plate", b.plate_nonpersonal()),)),
    FieldSpec(T.VIN, ("vin", "vehicle id number"), lambda b, p: b.vin(),
              (lambda b: ("vin example", b.vin_nonpersonal()),)),
    FieldSpec(T.EMPID, ("employee id", "staff number"), lambda b, p: b.employee_id()),
    FieldSpec(T.SALARY, ("salary", "annual pay", "base pay"), lambda b, p: b.salary(p),
              (lambda b: ("salary band midpoint (all staff)", b.money(40, 90, "EUR") + "k"),)),
    FieldSpec(T.JOB, ("job title", "position", "role"), lambda b, p: _const(b, T.JOB, T.JOB_TITLES),
              (lambda b: ("open vacancy", b.pick(T.JOB_TITLES)),)),
    FieldSpec(T.EMPLOYER, ("employer", "works at", "company"), lambda b, p: b.employer(),
              (lambda b: (b.pick(["vendor", "supplier", "client", "sponsor", "insurer", "contractor",
                                  "venue operator", "competitor"]), b.company().name),)),
    FieldSpec(T.RELIGION, ("religion", "faith"), lambda b, p: _const(b, T.RELIGION, T.RELIGIONS),
              (lambda b: ("chaplaincy services offered", b.pick(T.RELIGIONS)),)),
    FieldSpec(T.ORIENT, ("sexual orientation", "orientation"), lambda b, p: _const(b, T.ORIENT, T.ORIENTATIONS)),
    FieldSpec(T.ETHNIC, ("ethnicity", "ethnic origin"), lambda b, p: _const(b, T.ETHNIC, T.ETHNICITIES)),
    FieldSpec(T.POLIT, ("party affiliation", "political party"), lambda b, p: _const(b, T.POLIT, T.PARTIES)),
    FieldSpec(T.GENDER, ("gender", "sex"), lambda b, p: _const(b, T.GENDER, T.GENDERS)),
    FieldSpec(T.NATION, ("nationality", "citizenship"), lambda b, p: _const(b, T.NATION, T.NATIONALITIES)),
    FieldSpec(T.MARITAL, ("marital status", "civil status"), lambda b, p: _const(b, T.MARITAL, T.MARITAL_STATUSES)),
    FieldSpec(T.POB, ("place of birth", "birthplace"), lambda b, p: _const(b, T.POB, T.BIRTH_PLACES)),
    FieldSpec(T.URL, ("personal website", "blog", "portfolio"), lambda b, p: b.personal_url(p),
              (lambda b: ("company site", b.company_url()), _org("website", lambda b: b.company_url()))),
    FieldSpec(T.DEVICE, ("device id", "phone device id"), lambda b, p: b.device_id(),
              (lambda b: ("server host", b.device_nonpersonal()),)),
    FieldSpec(T.FAX, ("fax",), lambda b, p: b.fax(p.country),
              (lambda b: ("office fax", b.phone_switchboard(t=T.FAX)), _org("fax", lambda b: b.phone_switchboard(t=T.FAX)),
               lambda b: ("fax (toll-free)", b.phone_tollfree(t=T.FAX)))),
    FieldSpec(T.STUDENT, ("student id", "matriculation number"), lambda b, p: b.student_id(),
              (lambda b: (b.pick(["course code", "module"]), _course_code(b)),)),
    FieldSpec(T.CUSTID, ("customer id", "client number"), lambda b, p: b.customer_id(),
              (lambda b: (b.pick(["store number", "terminal id", "merchant id", "branch code"]), _store_number(b)),)),
    FieldSpec(T.ACCT, ("account number", "account no"), lambda b, p: b.account_number()),
)
# Types whose genuine value may spell the person's name: a name-negative record must not hold them.
_NAME_BEARING = (T.EMAIL, T.USER, T.URL)
_EMPTY_VALUES = (None, "", "N/A", "[REDACTED]", "<redacted>", "unknown", "not provided", "***")
_SCHEMA_VALUES = ("string, optional", "VARCHAR(64) NULL", "<{key}>", "{{{{ {key} }}}}", "see field spec",
                  "type: string; example omitted")


def _negative(b: B, spec: FieldSpec, prose: bool = False) -> tuple[str, object]:
    """A field of this type that holds no personal value: empty, a schema hint (JSON only), or
    a decoy."""
    b.no(spec.pii)
    roll = b.r.random()
    if spec.decoys and roll < 0.55:
        return b.pick(spec.decoys)(b)
    key = b.pick(spec.keys)
    if prose:
        return key, None
    if roll < 0.8:
        return key, b.pick(_EMPTY_VALUES)
    return key, b.pick(_SCHEMA_VALUES).format(key=key.replace(" ", "_"))


def _fields(b: B, p: Person, n: int, prose: bool) -> tuple[list[tuple[str, object]], bool]:
    """`n` fields of random types, each genuine or not, and whether the record names its
    person (a record without the name may not hold values that spell it, such as an email)."""
    specs = b.sample(list(FIELDS), n)
    named = b.coin(0.75)
    out = []
    for spec in specs:
        allowed = named or spec.pii not in _NAME_BEARING
        if allowed and b.coin():
            out.append((b.pick(spec.keys), spec.genuine(b, p)))
        else:
            out.append(_negative(b, spec, prose))
    return out, named


_BRAND_KEYS = ("store", "restaurant", "venue", "merchant", "pickup point", "brand")
_JSON_FRAMES = ("crm_contact", "intake_form", "hr_record", "claim", "member_profile", "kyc_case", "event")
_NOTE_FRAMES = ("call note", "intake note", "case update", "email to records team", "chat summary")


def _person_json(b: B) -> dict:
    p = b.person()
    fields, named = _fields(b, p, b.ri(2, 6), prose=False)
    frame = b.pick(_JSON_FRAMES)
    record: dict = {b.k("record type"): frame, b.k("id"): f"{frame[:3]}-{b.digits(6)}"}
    if named:
        record[b.k(b.pick(["full name", "name", "customer name"]))] = b.name(p)
    else:
        b.no(T.NAME)
        if b.coin(0.5):  # a pseudonymous handle is personal data, but it is not a name
            record[b.k(b.pick(["user", "handle", "actor"]))] = b.val(T.USER, b.anon_handle())
    body = {b.k(key): value for key, value in fields}
    if b.coin(0.25):  # brand and place names that read like people's names
        body[b.k(b.pick(_BRAND_KEYS))] = b.lookalike()
    if b.coin(0.4):  # nested, as exports often are
        record[b.k(b.pick(["details", "attributes", "payload", "profile"]))] = body
    else:
        record.update(body)
    record[b.k("updated at")] = b.ts()
    return record


def _label(key: str) -> str:
    return key[:1].upper() + key[1:]


def _person_note(b: B) -> str:
    p = b.person()
    fields, named = _fields(b, p, b.ri(2, 5), prose=True)
    frame = b.pick(_NOTE_FRAMES)
    lines = [f"{_label(frame)} - {b.fdate(b.recent_date())}"]
    if named:
        lines.append(b.pick(["Spoke with {n}.", "Customer: {n}", "Re: {n}", "{n} called in."]).format(n=b.name(p)))
    else:
        b.no(T.NAME)
        lines.append(b.pick(["Caller did not give a name.", "Anonymous enquiry."]))
    if b.coin(0.25):
        lines.append(f"{_label(b.pick(_BRAND_KEYS))}: {b.lookalike()}")
    for key, value in fields:
        if value in (None, ""):
            lines.append(b.pick(["{k}: not given.", "Asked for {k}; declined to share.", "{k} left blank on the form."]).format(k=_label(key)))
        else:
            lines.append(b.pick(["{k}: {v}", "- {k} = {v}", "{k} on file is {v}.", "Confirmed {k} {v}."]).format(k=_label(key), v=value))
    lines.append(b.pick(["Follow up next week.", "No further action.", "Escalated to tier 2.", ""]))
    return "\n".join(line for line in lines if line)


def _no_person_json(b: B) -> dict:
    """A record about no individual: company profile, aggregate report or form template."""
    kind = b.pick(["company_profile", "aggregate_report", "form_template"])
    specs = b.sample(list(FIELDS), b.ri(2, 5))
    record: dict = {b.k("kind"): kind}
    if kind == "company_profile":
        c = b.company()
        record[b.k("company name")] = c.name if b.coin(0.6) else b.lookalike()
        b.no(T.NAME)
        record[b.k("contact")] = b.role_email(c)
    for spec in specs:
        b.no(spec.pii)
        if kind == "aggregate_report":
            record[b.k(f"{b.pick(spec.keys)} breakdown")] = {b.k("records"): b.ri(50, 90000),
                                                              b.k("share with value"): f"{b.ri(1, 99)}%"}
        elif kind == "form_template":
            record[b.k(b.pick(spec.keys))] = {b.k("required"): b.coin(0.5), b.k("type"): b.pick(["string", "date", "enum"])}
            if spec.pii == T.NAME or b.coin(0.2):
                record[b.k("example holder")] = b.placeholder_name()
        else:
            key, value = _negative(b, spec)
            record[b.k(key)] = value
    return record


def _no_person_note(b: B) -> str:
    specs = b.sample(list(FIELDS), b.ri(2, 4))
    lines = [b.pick(["Quarterly data summary", "Form design review", "Privacy FAQ", "Data catalogue entry"])]
    for spec in specs:
        b.no(spec.pii)
        key = b.pick(spec.keys)
        lines.append(b.pick([
            "{n} records include a {k}; {p}% of them were filled in.",
            "The {k} field is optional and never shown to agents.",
            "Never send your {k} by email or chat.",
            "{k}: collected at signup, retained {y} years.",
        ]).format(n=b.ri(100, 50000), k=key, p=b.ri(1, 99), y=b.ri(1, 10)))
        if spec.decoys and b.coin(0.5):
            dkey, dvalue = b.pick(spec.decoys)(b)
            lines.append(f"{_label(dkey)}: {dvalue}")
    return "\n".join(lines)


TRAIN_ONLY_FAMILIES: tuple[Family, ...] = (
    Family("x_person_json", "json", _person_json),
    Family("x_person_note", "text", _person_note),
    Family("x_no_person_json", "json", _no_person_json),
    Family("x_no_person_note", "text", _no_person_note),
)
