"""The content families (`families/content_*.yaml`: user content, social media, audio-visual and
sensory, biometric data, issue 14): every one of the users' types gets true and false labels
in both splits, sits in enough families of both splits, and its labels are supported by the
text — biometric templates carry their standard's header, STR profiles use real loci and
allele ranges, genealogy matches predict what their centimorgans imply, one person's stars
and words agree, phrase-like data (reviews, messages, readings, recordings) is true only when
the record ties it to someone, and the false values are the look-alikes the catalog names."""
from __future__ import annotations

import base64
import random
import re
from collections import Counter, defaultdict

import pytest

from beam_pii_tools.datagen import generate, load_families
from beam_pii_tools.datagen.builder import genuine_types
from beam_pii_tools.datagen.type_names import canonical
from beam_pii_tools.datagen.values import GENERATORS
from beam_pii_tools.datagen.values.content_feedback import sentiment, stars
from beam_pii_tools.datagen.values.context import Entities, ValueContext
from beam_pii_tools.datagen.values.data import pool
from family_checks import render_families, wording_shared_with_train

# The users' data-element names this area covers (beam_pii_tools/data/seed_data_elements.tsv).
USERS_NAMES = [
    "Ratings", "Reviews", "Emails or Text Messages", "Customer Support", "NPS or CSAT Scores",
    "Social Media Account", "Social Media Activity", "Social Media Contact",
    "Video", "Audio Recordings", "IoT or Sensor Data",
    "Iris Recognition", "Facial Recognition", "Voice Recognition", "Handwriting Recognition", "DNA Matching", "Gait",
    "Fingerprint Scans",
]
TYPES = sorted({canonical(n) for n in USERS_NAMES})
BIOMETRIC = {"Fingerprint", "Iris Scan", "Facial Recognition Data", "Voiceprint", "Handwriting Biometrics",
             "Genetic Data", "Behavioral Biometrics"}
# Data that is personal only when the record ties it to someone, and the types that do so.
CONTEXTUAL = {"User Ratings", "User Reviews", "Personal Messages", "Customer Support Interactions",
              "Customer Satisfaction Score", "Social Media Activity", "Video Recording", "Audio Recording",
              "Sensor Data"} | BIOMETRIC
IDENTIFIERS = {"Person Name", "Email Address", "Phone Number", "Username", "User ID", "Unique User Identifier",
               "Customer ID", "Employee ID", "Account Number", "Passport Number", "Social Media Handle",
               "Medical Record Number", "Street Address"}
SPECIAL = {"Medical Condition", "Religion", "Sexual Orientation", "Political Affiliation", "Ethnicity"}


def _ctx(seed: int) -> ValueContext:
    return ValueContext(Entities(random.Random(seed), {"main": ("any",)}, {}), ("main", 0), frozenset())


@pytest.fixture(scope="module")
def families():
    fams = [f for f in load_families() if f.source.startswith("content_")]
    assert len(fams) >= 40
    return fams


@pytest.fixture(scope="module")
def records(families):
    return generate(4000, seed=13, families=families)


@pytest.fixture(scope="module")
def renders(families):
    """(family, rendered) pairs: 60 renders of every family."""
    return render_families(families, 60)


def test_the_users_names_resolve_to_our_types():
    assert len(USERS_NAMES) == 18 and len(TYPES) == 18
    assert canonical("DNA Matching") == "Genetic Data" and canonical("Gait") == "Behavioral Biometrics"
    assert canonical("Social Media Account") == "Social Media Handle" and canonical("Video") == "Video Recording"


def test_every_type_is_true_and_false_in_both_splits(records):
    seen = Counter((canonical(t), r["split"], v) for r in records for t, v in r["labels"].items())
    missing = [(t, split, v) for t in TYPES for split in ("train", "dev") for v in (True, False) if not seen[(t, split, v)]]
    assert missing == []
    flagged = Counter((t, v) for r in records for t, v in r["labels"].items())
    assert [n for n in USERS_NAMES if not (flagged[(n, True)] and flagged[(n, False)])] == []  # the users' names
    assert all(flagged[(t, True)] and flagged[(t, False)] for t in TYPES if t not in USERS_NAMES)  # and ours


def test_every_type_sits_in_three_families_two_train_one_dev(families):
    where: dict[str, Counter] = defaultdict(Counter)
    for fam in families:
        for t in genuine_types(fam, fam.body):
            where[t][fam.split] += 1
    for t in TYPES:
        assert where[t]["train"] >= 2 and where[t]["dev"] >= 1 and sum(where[t].values()) >= 3, (t, where[t])


def test_a_third_of_the_families_are_json(families):
    kinds = Counter(f.kind for f in families)
    assert kinds["json"] >= len(families) / 3


def test_dev_families_share_no_wording_with_train_families(families):
    assert wording_shared_with_train(families) == {}


def test_phrase_like_data_is_true_only_when_tied_to_someone(renders):
    """A review, a text message, a heart rate or a template is someone's data only beside who
    they are (chat lines: the speaker is the person)."""
    checked = 0
    for fam, r in renders:
        if fam.id.startswith("content_chat"):
            continue
        for t in CONTEXTUAL & {k for k, v in r.labels.items() if v}:
            assert any(r.labels.get(i) for i in IDENTIFIERS), (fam.id, t, r.output)
            checked += 1
    assert checked > 1000


def test_no_family_denies_what_its_pools_may_reveal(families):
    """Messages, posts, check-ins and groups may reveal health, faith or orientation: no content
    family claims those absent."""
    assert [(f.id, t) for f in families for t in (*f.absent, *f.negatives) if t in SPECIAL] == []


def test_genuine_values_pass_their_checks(renders):
    values: dict[str, list[str]] = defaultdict(list)
    for _, r in renders:
        for t, vs in r.values.items():
            values[t].extend(str(v) for v in vs)
    headers = {"Fingerprint": b"FMR\x00 20\x00", "Iris Scan": b"IIR\x00 020\x00", "Facial Recognition Data": b"FAC\x00010\x00"}
    for t, header in headers.items():
        blobs = [v for v in values[t] if re.fullmatch(r"[A-Za-z0-9+/]{40,}={0,2}", v)]
        assert blobs and all(base64.b64decode(v).startswith(header) for v in blobs), t
    loci = {locus: (lo, hi) for locus, lo, hi in pool("content_biometric.str_loci")}
    relationships = {name: (lo, hi) for lo, hi, name in pool("content_biometric.relationships")}
    profiles = matches = 0
    for dna in values["Genetic Data"]:
        for locus, alleles in re.findall(r"(\w+) (\d+(?:,\d+)?)(?=;|$)", dna):
            if locus in loci:
                lo, hi = loci[locus]
                assert all(lo <= int(a) <= hi for a in alleles.split(",")), dna
                profiles += 1
        m = re.search(r"shared ([\d,]+) cM across \d+ segments — (.+)$", dna)
        if m:
            lo, hi = relationships[m.group(2)]
            assert lo <= int(m.group(1).replace(",", "")) <= hi, dna
            matches += 1
    assert profiles > 20 and matches > 20
    for rating in values["User Ratings"]:
        assert re.fullmatch(r"[1-5]|[1-5]/5|[1-5] stars?|★{1,5}☆{0,4}|.*thumbs.*", rating) and rating.count("★") + rating.count("☆") in (0, 5), rating
    for score in values["Customer Satisfaction Score"]:
        assert re.fullmatch(r"(10|\d)|[1-5]/5|scored (10|\d) \((promoter|passive|detractor)\)", score), score
    platforms = pool("content_social.platforms")
    for url in values["Social Media Handle"]:
        if url.startswith("http"):
            assert any(url.startswith(p.split("{h}")[0]) for p, _ in platforms.values()), url
    assert all(len(values[t]) >= 20 for t in TYPES), {t: len(values[t]) for t in TYPES}


def test_one_persons_stars_and_words_agree():
    """The person's review, rating and survey comment share one sentiment, whichever comes first."""
    reviews = pool("content_feedback.reviews")
    for seed in range(200):
        ctx = _ctx(seed)
        review = GENERATORS["review_text"].fn(ctx, "product")
        n = int(GENERATORS["user_rating"].fn(ctx, "number"))
        assert n == stars(ctx)
        assert [review.parts["title"], review.text] in reviews["product"][sentiment(n)]
        assert GENERATORS["feedback_comment"].fn(ctx) in pool("content_feedback.comments")[sentiment(n)]
        nps = GENERATORS["nps_score"].fn(ctx, "number")
        assert (nps <= 6) == (n <= 2) and (nps >= 9) <= (n >= 4)


def test_a_persons_handle_and_template_ids_stay_the_same_in_a_record():
    for seed in range(50):
        ctx = _ctx(seed)
        handle = GENERATORS["social_handle"].fn(ctx, "instagram", "bare").text
        assert GENERATORS["social_profile_url"].fn(ctx, "instagram").text == f"https://www.instagram.com/{handle}/"
        ref = GENERATORS["fingerprint_template"].fn(ctx, "ref")
        assert GENERATORS["fingerprint_template"].fn(ctx, "match").parts["id"] == ref.parts["id"] in ref.text


def test_handles_spell_a_name_only_when_the_record_shows_it():
    from beam_pii_tools.datagen.values.people import slug

    spelled = 0
    for seed in range(300):
        for named in (False, True):
            entities = Entities(random.Random(seed), {"main": ("any",)}, {})
            ctx = ValueContext(entities, ("main", 0), frozenset({("main", 0)}) if named else frozenset())
            handle = GENERATORS["social_handle"].fn(ctx, "x", "bare").text
            p = ctx.person()
            parts = [x for x in (slug(p.first), slug(p.last)) if len(x) >= 3]
            shows = any(x in handle for x in parts)
            assert named or not shows, (handle, p.full)
            spelled += shows
    assert spelled > 50  # named people often use their name


def test_neighbours_are_told_apart(records):
    """A step count is sensor data but no gait profile, a call recording no voiceprint, CCTV
    footage no face template: each pair shows up true/false in one record."""
    pairs = Counter()
    for r in records:
        truth = {canonical(t): v for t, v in r["labels"].items()}
        for true_t, false_t in (("Sensor Data", "Behavioral Biometrics"), ("Audio Recording", "Voiceprint"),
                                ("Video Recording", "Facial Recognition Data")):
            if truth.get(true_t) is True and truth.get(false_t) is False:
                pairs[(true_t, false_t)] += 1
    assert len(pairs) == 3 and min(pairs.values()) >= 3, pairs


def test_look_alikes_are_what_the_catalog_names(renders):
    """The false values are the look-alikes the catalog's descriptions name: key fingerprints,
    eye colours, face-detection boxes, voice-command transcripts, OCR text and fonts, research
    summaries and kit adverts, step counts and specs, averages, testimonials, macros, brand
    accounts, follower counts, stock footage, podcasts, machine sensors."""
    decoys: dict[str, set[str]] = defaultdict(set)
    for _, r in renders:
        for t, v in r.labels.items():
            if not v:
                decoys[t].add(r.output if isinstance(r.output, str) else repr(r.output))
    text = {t: "\n".join(v) for t, v in decoys.items()}
    assert re.search(r"SHA256:|certificate fingerprint", text["Fingerprint"])
    assert re.search(r"\b(hazel|blue|green|brown|grey|amber)\b", text["Iris Scan"])
    assert "faces detected" in text["Facial Recognition Data"] or "conf 0." in text["Facial Recognition Data"]
    assert any(c in text["Voiceprint"] for c in pool("content_biometric.voice_commands"))
    assert any(o in text["Handwriting Biometrics"] for o in pool("content_biometric.ocr_snippets"))
    assert re.search(r"BRCA1|APOE|CFTR", text["Genetic Data"]) and "kits" in text["Genetic Data"]
    assert re.search(r"\d+ steps", text["Behavioral Biometrics"])
    assert re.search(r"out of 5 from|reviews ·|average rating", text["User Ratings"])
    assert "“" in text["User Reviews"] and re.search(r"Happy customer|Verified buyer|Our verdict|Editor", text["User Reviews"])
    assert "{{" in text["Customer Support Interactions"] and "queue" in text["Customer Support Interactions"]
    assert re.search(r"NPS [+-]\d+", text["Customer Satisfaction Score"])
    assert "{{first_name}}" in text["Personal Messages"] and "verification code" in text["Personal Messages"]
    assert "(our account)" in text["Social Media Handle"] or "Support" in text["Social Media Handle"]
    assert "followers" in text["Social Media Contact"] and "#" in text["Social Media Activity"]
    assert re.search(r"Stock clip|B-roll|licence", text["Video Recording"])
    assert re.search(r"Ep\. \d+|podcast_", text["Audio Recording"])
    assert re.search(r"pump|weather station|conveyor|turbine|gauge", text["Sensor Data"])
