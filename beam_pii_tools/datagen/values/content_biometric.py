"""Biometric and genetic data: fingerprint, iris and face templates, voiceprints, signature
dynamics, gait and keystroke profiles, and DNA results, with the look-alikes users see flagged.

A biometric template or match is derived from one person's body or behaviour, so it is
theirs wherever it appears; the families still put the enrolled person (an employee id, a
traveller, a customer) beside it, as enrolment and match logs do. Shapes follow the
standards: fingerprint templates are base64 of an ISO/IEC 19794-2 record (it starts "FMR\\0
20\\0", so "Rk1SACAyMAA"), iris records of ISO/IEC 19794-6 ("IIR\\0"), face embeddings are
512 floats of unit scale, STR profiles use the CODIS loci with alleles in their usual
ranges, and genealogy matches predict the relationship their shared centimorgans imply.

A person's template id is the same in their enrolment and their later matches (`remember`).
The look-alikes: key, certificate and browser fingerprints; reader, camera and algorithm
specifications and accuracy figures; eye colours; face-detection boxes with no identity;
voice-command transcripts and synthetic voices; OCR text, handwriting fonts and empty
signature fields; gene names in research, DNA-kit adverts and population tables; usability
averages and motion-sensor specs.
"""
from __future__ import annotations

import base64
from beam_pii_tools.datagen.values.content_common import remember
from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.digital_usage import count, fill
from beam_pii_tools.datagen.values.registry import Value, generator

FINGER = "Fingerprint"
IRIS = "Iris Scan"
FACE = "Facial Recognition Data"
VOICE = "Voiceprint"
HAND = "Handwriting Biometrics"
DNA = "Genetic Data"
GAIT = "Behavioral Biometrics"

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64_record(ctx: ValueContext, header: bytes, lo: int, hi: int) -> str:
    """A biometric record: the standard's header and a random body, base64 as APIs send it."""
    body = bytes(ctx.rng.getrandbits(8) for _ in range(ctx.ri(lo, hi)))
    return base64.b64encode(header + body).decode()


def _vector(ctx: ValueContext, n: int, dims: int) -> str:
    """The first n components of an embedding, as logs abbreviate them."""
    return "[" + ", ".join(f"{ctx.rng.gauss(0, 0.045):.4f}" for _ in range(n)) + f", …] ({dims}-d)"


def _score(ctx: ValueContext, lo: float = 0.62, hi: float = 0.99) -> str:
    return f"{ctx.rng.uniform(lo, hi):.2f}"


def template_id(ctx: ValueContext, prefix: str) -> str:
    """The person's enrolled template id for one modality (the same in every line of a record)."""
    return remember(ctx, f"template:{prefix}", lambda: f"{prefix}_{ctx.hexs(ctx.ri(10, 16))}")


# -- fingerprints ------------------------------------------------------------------------------
@generator("fingerprint_template", FINGER, True)
def fingerprint_template(ctx: ValueContext, form: str = "") -> Value:
    """The person's fingerprint: form template (an ISO/IEC 19794-2 record in base64), ref (the
    enrolled finger, its template id, minutiae and NFIQ 2 quality; the default), match (a
    capture matched against their template, with its score) or fail (a capture that scored
    too low); parts `id`, `finger`, `score` and `quality`."""
    finger = remember(ctx, "finger", lambda: ctx.pick(pool("content_biometric.fingers")))
    tid, quality, score = template_id(ctx, "fp"), ctx.ri(38, 92), ctx.ri(45, 99)
    text = {"template": _b64_record(ctx, b"FMR\x00 20\x00", 90, 180),
            "fail": f"{finger} vs {tid}: score {ctx.ri(8, 40)}/100 (threshold 45), reject, capture NFIQ2 {ctx.ri(12, 34)}",
            "match": ctx.pick([f"{finger} matched template {tid}, score {score}/100",
                               f"1:1 verify vs {tid} ({finger}): score {score}, accept"]),
            }.get(form) or ctx.pick([f"{finger}, template {tid}, {ctx.ri(24, 68)} minutiae, NFIQ2 {quality}",
                                     f"template {tid} ({finger}, quality {quality})"])
    return Value(text, {"id": tid, "finger": finger, "score": score, "quality": quality})


@generator("key_fingerprint", FINGER, False)
def key_fingerprint(ctx: ValueContext, kind: str = "") -> str:
    """A fingerprint of a key, certificate, build or browser, a hash, not a finger's print:
    kind ssh, gpg, tls, build or browser (default any)."""
    h = ctx.hexs
    values = {"b64_43": lambda: "".join(ctx.rng.choice(_B64) for _ in range(43)), "hex4": lambda: h(4, True),
              "colon_hex": lambda: ":".join(h(2, True) for _ in range(32)),
              "colon_hex_short": lambda: ":".join(h(2, True) for _ in range(20)),
              "hex40": lambda: h(40), "hex32": lambda: h(32), "hex64": lambda: h(64)}
    table = pool("content_biometric.key_fingerprints")
    return fill(ctx.pick(table[kind] if kind else [x for group in table.values() for x in group]), values)


@generator("fingerprint_spec", FINGER, False)
def fingerprint_spec(ctx: ValueContext, kind: str = "") -> str:
    """A fingerprint reader's specification or accuracy figure (500 dpi, FAR 1:50,000): kind
    spec, or reader for a reader's model alone; default either."""
    specs, readers = pool("content_biometric.fingerprint_specs"), pool("content_biometric.fingerprint_readers")
    return ctx.pick({"spec": specs, "reader": readers}.get(kind) or specs + readers)


# -- iris --------------------------------------------------------------------------------------
@generator("iris_code", IRIS, True)
def iris_code(ctx: ValueContext, form: str = "") -> Value:
    """The person's iris: form template (an ISO/IEC 19794-6 record in base64), code (the first
    bits of an IrisCode in hex), ref (eye, template id and quality; the default) or match
    (a Hamming distance against their template); parts `id` and `eye`."""
    eye = remember(ctx, "eye", lambda: ctx.pick(pool("content_biometric.eyes")))
    tid = template_id(ctx, "iris")
    hd = ctx.rng.uniform(0.12, 0.31)
    text = {"template": _b64_record(ctx, b"IIR\x00 020\x00", 90, 160),
            "code": f"IrisCode({eye}) {ctx.hexs(64)}… (2048 bits, mask {ctx.ri(1400, 2000)} bits valid)",
            "match": f"{eye} iris vs {tid}: Hamming distance {hd:.3f} (threshold 0.32) — match",
            }.get(form) or f"{eye} iris, template {tid}, usable area {ctx.ri(70, 98)}%, quality {_score(ctx, 0.55)}"
    return Value(text, {"id": tid, "eye": eye})


@generator("eye_colour", IRIS, False)
def eye_colour(ctx: ValueContext) -> str:
    """An eye colour as a description writes it: not an iris scan."""
    return ctx.pick(pool("content_biometric.eye_colours"))


@generator("iris_spec", IRIS, False)
def iris_spec(ctx: ValueContext) -> str:
    """An iris camera's specification or the iris standard's thresholds."""
    return ctx.pick(pool("content_biometric.iris_specs"))


# -- faces -------------------------------------------------------------------------------------
@generator("face_template", FACE, True)
def face_template(ctx: ValueContext, form: str = "") -> Value:
    """The person's face template: form vector (the start of a 512-d embedding), template (a
    vendor's base64 template), ref (template id and quality; the default), match (a
    similarity against their enrolled template) or chip (their live capture against their
    passport's chip photo); parts `id` and `score`."""
    tid, score = template_id(ctx, "face"), _score(ctx, 0.55)
    text = {"vector": _vector(ctx, 6, 512), "template": _b64_record(ctx, b"FAC\x00010\x00", 80, 150),
            "match": f"similarity {score} to enrolled face {tid} (threshold 0.42)",
            "chip": f"live capture (template {tid}) vs passport chip photo: similarity {score}",
            }.get(form) or f"face template {tid} (quality {ctx.ri(55, 99)}, yaw {ctx.ri(-15, 15)}°)"
    return Value(text, {"id": tid, "score": score})


@generator("face_box", FACE, False)
def face_box(ctx: ValueContext) -> str:
    """Faces found in a frame with no identity (bounding boxes, counts, blur flags)."""
    boxes = "; ".join(f"[x={ctx.ri(0, 1700)}, y={ctx.ri(0, 900)}, w={(w := ctx.ri(40, 220))}, h={w + ctx.ri(0, 30)}, conf {_score(ctx, 0.8)}]"
                      for _ in range(ctx.ri(1, 3)))
    return ctx.pick([f"faces detected: {boxes}", f"{boxes} (no identification, faces blurred on export)",
                     f"people counter: {ctx.ri(2, 40)} faces in frame, identities not stored"])


@generator("face_spec", FACE, False)
def face_spec(ctx: ValueContext) -> str:
    """A face-recognition model's or SDK's specification and accuracy (FRVT figures)."""
    return ctx.pick(pool("content_biometric.face_specs"))


# -- voice -------------------------------------------------------------------------------------
@generator("voiceprint", VOICE, True)
def voiceprint(ctx: ValueContext, form: str = "") -> Value:
    """The person's voiceprint: form embedding (the start of a speaker embedding), ref (voice
    profile id and enrolment; the default) or match (a verification score against it);
    parts `id` and `score`."""
    vid, score = template_id(ctx, "vp"), _score(ctx, 0.6)
    text = {"embedding": _vector(ctx, 5, ctx.pick([192, 256, 512])),
            "match": f"voice verification vs {vid}: score {score}, {ctx.ri(3, 14)} s net speech — pass",
            }.get(form) or f"voiceprint {vid} (enrolled from {ctx.ri(3, 5)} utterances, {ctx.ri(18, 60)} s net speech)"
    return Value(text, {"id": vid, "score": score})


@generator("voice_command", VOICE, False)
def voice_command(ctx: ValueContext) -> str:
    """A speech-to-text transcript of a voice command: words, no voice model."""
    return ctx.pick(pool("content_biometric.voice_commands"))


@generator("tts_voice", VOICE, False)
def tts_voice(ctx: ValueContext) -> str:
    """A synthetic voice, or a speaker model's specification: no person's voice in it."""
    return ctx.pick(pool("content_biometric.tts_voices") + pool("content_biometric.voice_specs"))


# -- handwriting -------------------------------------------------------------------------------
@generator("pen_dynamics", HAND, True)
def pen_dynamics(ctx: ValueContext, form: str = "") -> Value:
    """How the person signed or wrote on a pad: form features (strokes, duration, pressure,
    speed; the default), points (the first pen samples x,y,pressure,ms) or match (a
    signature verified against their reference); parts `id` and `device`."""
    rid, device = template_id(ctx, "sig"), ctx.pick(pool("content_biometric.pen_devices"))
    if form == "points":
        x, y, t, pts = ctx.ri(80, 300), ctx.ri(200, 420), 0, []
        for _ in range(ctx.ri(5, 8)):
            pts.append(f"{x},{y},{ctx.rng.uniform(0.2, 0.9):.2f},{t}")
            x, y, t = x + ctx.ri(-4, 14), y + ctx.ri(-9, 9), t + ctx.pick([4, 5, 8])
        text = " ".join(pts) + " …"
    elif form == "match":
        text = f"signature vs reference {rid}: dynamic score {_score(ctx, 0.55)} (pressure and timing profile)"
    else:
        text = (f"{ctx.ri(3, 11)} strokes, {ctx.rng.uniform(1.1, 5.5):.2f} s, mean pressure {ctx.rng.uniform(0.3, 0.8):.2f}, "
                f"peak speed {ctx.rng.uniform(6, 30):.1f} cm/s, {(lifts := ctx.ri(0, 4))} pen lift{'' if lifts == 1 else 's'}")
    return Value(text, {"id": rid, "device": device})


@generator("ocr_text", HAND, False)
def ocr_text(ctx: ValueContext) -> str:
    """Text that OCR read from a handwritten form: the words, no handwriting features."""
    return ctx.pick(pool("content_biometric.ocr_snippets"))


@generator("handwriting_font", HAND, False)
def handwriting_font(ctx: ValueContext, form: str = "") -> str:
    """A handwriting-style font, as a typed signature or a page's style sets it: form css
    (font-family: 'Caveat', cursive), name (the Caveat font (handwriting style)) or typed
    (typed signature in Caveat); default any."""
    font = ctx.pick(pool("content_biometric.handwriting_fonts"))
    forms = {"css": f"font-family: '{font}', cursive", "name": f"the {font} font (handwriting style)",
             "typed": f"typed signature in {font}"}
    return forms.get(form) or ctx.pick(list(forms.values()))


@generator("signature_box", HAND, False)
def signature_box(ctx: ValueContext) -> str:
    """A signature field that captured nothing (a blank line, a null image, a pending field)."""
    return ctx.pick(pool("content_biometric.signature_fields"))


# -- genetic data ------------------------------------------------------------------------------
@generator("dna_result", DNA, True)
def dna_result(ctx: ValueContext, kind: str = "") -> Value:
    """The person's genetic data: kind match (shared cM with a relative and the predicted
    relationship; pair it with the relative's name), snp (genotypes at known SNPs), str (a
    forensic STR profile at CODIS loci) or haplogroup (default any); part `relationship`."""
    kind = kind or ctx.pick(["match", "snp", "str", "haplogroup"])
    relationship = ""
    if kind == "match":
        lo, hi, relationship = ctx.pick(pool("content_biometric.relationships"))
        cm = ctx.ri(lo, hi)
        text = f"shared {cm:,} cM across {max(2, cm // ctx.ri(40, 70))} segments — {relationship}"
    elif kind == "snp":
        chosen = ctx.rng.sample(pool("content_biometric.snps"), ctx.ri(2, 4))
        text = ", ".join(f"{rs} ({gene}) {''.join(sorted(ctx.pick(alleles) for _ in range(2)))}" for rs, gene, alleles in chosen)
    elif kind == "str":
        loci = ctx.rng.sample(pool("content_biometric.str_loci"), ctx.ri(4, 7))
        parts = []
        for locus, lo, hi in loci:
            a, b = sorted((ctx.ri(lo, hi), ctx.ri(lo, hi)))
            parts.append(f"{locus} {a}" if a == b else f"{locus} {a},{b}")
        text = "; ".join(parts) + f"; AMEL {ctx.pick(['X', 'X,Y'])}"
    else:
        text = f"mtDNA haplogroup {ctx.pick(pool('content_biometric.haplogroups_mt'))}" + (
            f", Y-DNA {ctx.pick(pool('content_biometric.haplogroups_y'))}" if ctx.chance(0.5) else "")
    return Value(text, {"relationship": relationship})


@generator("gene_research", DNA, False)
def gene_research(ctx: ValueContext) -> str:
    """Gene names and variants in a research summary: about genes, not about a person."""
    return ctx.pick(pool("content_biometric.gene_research"))


@generator("dna_kit_ad", DNA, False)
def dna_kit_ad(ctx: ValueContext) -> str:
    """An ancestry-kit advert (Discover your roots! 30% off …): about a product, no one's DNA."""
    values = {"service": lambda: ctx.pick(pool("content_biometric.genealogy_services"))}
    return fill(ctx.pick(pool("content_biometric.dna_kit_ads")), values)


@generator("allele_stat", DNA, False)
def allele_stat(ctx: ValueContext) -> str:
    """An allele frequency or match probability over a population (a reference table's row)."""
    return ctx.pick(pool("content_biometric.allele_tables"))


# -- behavioural biometrics --------------------------------------------------------------------
@generator("behavior_profile", GAIT, True)
def behavior_profile(ctx: ValueContext, kind: str = "", form: str = "") -> Value:
    """How the person walks, types or moves the mouse, as a recognition system profiles it:
    kind gait, keystroke or mouse (default any); form features (the default) or match (a
    session scored against their profile); parts `id` and `kind`."""
    kind = kind or ctx.pick(["gait", "gait", "keystroke", "mouse"])
    pid, r, u = template_id(ctx, {"gait": "gait", "keystroke": "kd", "mouse": "ms"}[kind]), ctx.ri, ctx.rng.uniform
    stance = r(58, 64)
    features = {
        "gait": f"cadence {r(96, 124)} steps/min, stride {u(1.1, 1.6):.2f} m, stance/swing {stance}/{100 - stance}, "
                f"step-time asymmetry {u(0.5, 6):.1f}%",
        "keystroke": f"mean dwell {r(70, 140)} ms, flight {r(90, 260)} ms, digraph 'th' {r(80, 190)} ms, {r(140, 380)} cpm",
        "mouse": f"mean velocity {r(600, 2200):,} px/s, curvature {u(0.1, 0.6):.2f}, click dwell {r(70, 160)} ms, "
                 f"{u(0.5, 4):.1f} pauses/min"}[kind]
    text = f"{kind} profile {pid} vs session: similarity {_score(ctx, 0.5)}" if form == "match" else features
    return Value(text, {"id": pid, "kind": kind})


@generator("usability_stat", GAIT, False)
def usability_stat(ctx: ValueContext) -> str:
    """A usability or motion figure averaged over everyone (median time to first keystroke)."""
    values = {"secs": lambda: round(ctx.rng.uniform(0.8, 6), 1), "cpm": lambda: ctx.ri(140, 320),
              "count": lambda: count(ctx, 2000, 900000), "pct": lambda: ctx.ri(5, 40),
              "px": lambda: ctx.ri(180, 420), "px2": lambda: ctx.ri(180, 420)}
    return fill(ctx.pick(pool("content_biometric.usability_stats")), values)


@generator("motion_spec", GAIT, False)
def motion_spec(ctx: ValueContext, kind: str = "") -> str:
    """A motion sensor's, behavioural SDK's or video-analytics model's specification (6-axis
    IMU, 100 Hz): no one's motion; kind sdk or camera (default any)."""
    table = pool("content_biometric.behavior_specs")
    return ctx.pick(table[kind] if kind else [x for group in table.values() for x in group])
