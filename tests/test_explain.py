"""Explanations: evidence found by occlusion and sound sentences, exactly where asked, and
never a changed verdict.

The end-to-end tests run the real pipeline with the embedded model on the sample's records and
check what the explanations *say*: every evidence text is a substring of the input, removing
it moves the confidence the way the verdict needs (re-scored here, independently of the
explainer), and no sentence breaks the soundness rules.
"""
from __future__ import annotations

import json

import pyarrow as pa
import pytest

from beam_pii.catalog import Catalog
from beam_pii.inference.evidence import (MAX_EVIDENCE_CHARS, MIN_MOVE, Occlusion, Window,
                                         candidate_windows, evidence_text, structural_windows)
from beam_pii.inference.explain import wants_reason
from beam_pii.inference.reasons import (clean_continuation, is_template_reason, lead,
                                        reason_problem, template_reason)
from beam_pii.io.schemas import result_schema, to_row
from beam_pii.records import Decision, Evidence
from pipelines.verify_pii import run

from conftest import EXAMPLES, read_door_records

CATALOG = Catalog.default()
# A high threshold so that the sample has model rejections to explain whatever the adapter.
THRESHOLD = ["--threshold", "0.9"]
TICKET = ("From: Nimbus Media <abuse@notify.nimbusmedia.com>\nSubject: Reset your password\n\n"
          "We received a request for the account of Jane Roe. Reply to jane.roe@gmail.com if this "
          "was not you. Our office opens at nine.\nRequest came from IP ::1.")
PAYMENT = ('{"type": "payment_intent.created", "amount": 21428, "card": {"number": '
           '"4442 6802 2069 6154", "exp": "05/27"}, "customer": "4083492733"}')


# --- windows and evidence (no model) --------------------------------------------------------------
def test_structural_windows_are_the_finest_units_and_substrings():
    windows = structural_windows(TICKET)
    texts = [TICKET[w.start:w.end] for w in windows]
    assert texts[0] == "From: Nimbus Media <abuse@notify.nimbusmedia.com>"
    # the long line is cut into its sentences; blank lines are no window
    assert "Reply to jane.roe@gmail.com if this was not you." in texts
    assert "Our office opens at nine." in texts and "" not in texts
    pairs = [PAYMENT[w.start:w.end] for w in structural_windows(PAYMENT)]
    assert '"number": "4442 6802 2069 6154"' in pairs and '"exp": "05/27"' in pairs
    assert all(not p.endswith(",") for p in pairs)


def test_windows_of_the_flagged_types_come_first_and_are_capped():
    windows = candidate_windows(TICKET, ["Email Address"], CATALOG, limit=3)
    texts = [TICKET[w.start:w.end] for w in windows]
    assert len(texts) == 3
    assert texts[0] == "From: Nimbus Media <abuse@notify.nimbusmedia.com>"
    assert texts[1] == "Reply to jane.roe@gmail.com if this was not you."
    card = candidate_windows(PAYMENT, ["Credit Card Number"], CATALOG)
    assert PAYMENT[card[0].start:card[0].end] == '"number": "4442 6802 2069 6154"'
    # a text that is one window only: removing all of it is no evidence
    assert candidate_windows("jane.roe@gmail.com", ["Email Address"], CATALOG) == []


def test_masking_removes_exactly_the_window():
    window = Window(TICKET.index("Reply"), TICKET.index("Our office"))
    masked = window.masked(TICKET)
    assert "jane.roe@gmail.com" not in masked and "Our office opens" in masked
    assert len(masked) == len(TICKET) - (window.end - window.start)


def test_evidence_text_is_cut_to_a_substring():
    long = "word " * 100 + "jane.roe@gmail.com " + "more " * 100
    cut = evidence_text(long, Window(0, len(long)))
    assert len(cut) <= MAX_EVIDENCE_CHARS and cut in long and cut.strip() == cut
    assert evidence_text(TICKET, Window(0, 4)) == "From"


def test_occlusion_picks_the_move_towards_the_other_verdict():
    kept = Occlusion(confidence=0.9, verified=True, without=(0.95, 0.2, 0.7))
    assert kept.best() == (1, 0.2)
    rejected = Occlusion(confidence=0.1, verified=False, without=(0.05, 0.3, 0.6))
    assert rejected.best() == (2, 0.6)
    # nothing moves it towards the other verdict by MIN_MOVE: no evidence
    assert Occlusion(0.1, False, (0.1 + MIN_MOVE / 2, 0.01)).best() == (None, None)
    assert Occlusion(0.9, True, ()).best() == (None, None)


# --- reasons (no model) ---------------------------------------------------------------------------
KEPT = Decision("Email Address", True, 0.93, "model",
                evidence=Evidence("Reply to jane.roe@gmail.com", 0.12))


def test_soundness_rules():
    prefix = lead(KEPT)
    assert prefix == "The flagged Email Address is kept because"
    assert reason_problem("it is a kind of kind of no kind of kind", TICKET, KEPT.pii, prefix) == "repeats"
    assert reason_problem("it is a No", TICKET, KEPT.pii, prefix) == "short"
    assert reason_problem("it is what they would say", TICKET, KEPT.pii, prefix) == "names_nothing"
    # repeating the lead's own words counts as repetition too
    assert reason_problem("the flagged email is jane's", TICKET, KEPT.pii, prefix) == "repeats"
    assert reason_problem("Jane Roe gives jane.roe@gmail.com as her own mailbox", TICKET, KEPT.pii,
                          prefix) is None
    assert reason_problem("it is her personal email at a free provider", TICKET, KEPT.pii, prefix) is None
    # a kept flag's sentence that negates argues the other way; a rejection may negate
    assert reason_problem("it is not an email that belongs to Jane", TICKET, KEPT.pii, prefix,
                          True) == "contradicts"
    assert reason_problem("it is not an email that belongs to Jane", TICKET, KEPT.pii, prefix,
                          False) is None


def test_templates_state_the_measured_evidence():
    reason = template_reason(KEPT)
    assert reason == ('kept: the text gives "Reply to jane.roe@gmail.com" as the Email Address; '
                      "without it the confidence falls from 0.93 to 0.12.")
    rejected = Decision("Email Address", False, 0.02, "model",
                        evidence=Evidence("From: Nimbus Media <abuse@notify.nimbusmedia.com>", 0.4))
    assert template_reason(rejected).startswith('rejected: "From: Nimbus Media <abuse@')
    absent = Decision("Salary", False, 0.01, "model", evidence=Evidence(None, None))
    assert "nothing in the text reads as a personal Salary" in template_reason(absent)
    assert all(is_template_reason(template_reason(d)) for d in (KEPT, rejected, absent))
    assert not is_template_reason(f"{lead(KEPT)} Jane gives it.") and not is_template_reason(None)


def test_continuations_are_cleaned_to_one_sentence():
    assert clean_continuation(" it is a <|im_end|> shared\nsupport mailbox. More text") == \
        "it is a shared support mailbox"
    assert clean_continuation("jane.roe@gmail.com is hers. Then") == "jane.roe@gmail.com is hers"
    assert clean_continuation("  \n ") == ""


def test_which_decisions_are_explained():
    assert wants_reason(Decision("A", False, 0.1, "model"), "rejected")
    assert not wants_reason(Decision("A", True, 0.9, "model"), "rejected")
    assert wants_reason(Decision("A", True, 0.9, "model"), "all")
    assert not wants_reason(Decision("A", False, 0.0, "validator:luhn", "x"), "all")
    assert not wants_reason(Decision("A", False, 0.1, "model"), "none")


def test_evidence_in_json_and_parquet_output():
    with_evidence = KEPT.to_dict()
    assert with_evidence["evidence"] == {"text": "Reply to jane.roe@gmail.com", "confidence_without": 0.12}
    assert "evidence" not in Decision("A", False, 0.0, "validator:luhn", "x").to_dict()
    record = {"recordId": "r", "decisions": [with_evidence, Decision("B", True, 0.5, "model").to_dict()]}
    schema = result_schema(None)  # the verified/clean doors' declared schema
    table = pa.Table.from_pylist([to_row(record, schema)], schema=schema)
    decision_type = table.schema.field("decisions").type.value_type
    assert decision_type.field("evidence").type == pa.struct(
        [("text", pa.string()), ("confidence_without", pa.float64())])
    back = table.to_pylist()[0]["decisions"]
    assert back[0]["evidence"] == with_evidence["evidence"] and back[1]["evidence"] is None


# --- the backends' hooks, on the tiny random model -------------------------------------------------
@pytest.fixture(scope="module")
def tiny_verifier(tiny_model_dir):
    from beam_pii.config import VerifierConfig
    from beam_pii.inference.verifier import Verifier
    return Verifier.load(VerifierConfig(model=str(tiny_model_dir), explain="all", threads=1,
                                        threshold=0.5))


def test_masked_variants_score_like_the_masked_text_alone(tiny_verifier):
    """The batched occlusion equals scoring each masked text on its own, one request each."""
    from beam_pii.records import VerificationRequest

    requests = [VerificationRequest("t", TICKET, ("Email Address", "Person Name"), {}),
                VerificationRequest("p", PAYMENT, ("Credit Card Number",), {})]
    results = tiny_verifier.verify(requests)
    assert tiny_verifier.stats.explain.evidence_passes > 0
    for request, result in zip(requests, results):
        for d in result.decisions:
            assert d.evidence is not None and d.reason
            if d.evidence.text is None:
                continue
            assert d.evidence.text in request.text
            masked = request.text.replace(d.evidence.text, "", 1)
            alone = tiny_verifier.prompts.encode_record(masked, (d.pii,))
            from beam_pii.inference.backends.base import ScoringGroup
            (score,), = tiny_verifier.backend.score(
                tiny_verifier.prompts.prefix_ids,
                [ScoringGroup(alone.ids, (tiny_verifier.prompts.question_ids(d.pii),))],
                tiny_verifier.prompts.answers)
            assert score == pytest.approx(d.evidence.confidence_without, abs=1e-4)


def test_variants_with_the_head_reused_score_like_whole_copies(tiny_verifier):
    """The transformers backend computes each text once and every copy from its removed window
    on; that must give what scoring every copy in full gives (the generic path)."""
    from beam_pii.inference.backends.base import ScoringBackend, VariantGroup

    prompts, backend = tiny_verifier.prompts, tiny_verifier.backend
    groups = []
    for text, piis in ((TICKET, ("Email Address", "Person Name")), (PAYMENT, ("Credit Card Number",)),
                       ("one line only", ("Email Address",))):
        windows = candidate_windows(text, piis, CATALOG)
        groups.append(VariantGroup(prompts.encode_record(text).ids,
                                   tuple(prompts.encode_record(w.masked(text)).ids for w in windows),
                                   tuple(prompts.question_ids(p) for p in piis)))
    assert max(groups[0].heads()) > 0 and groups[2].variants == ()
    reused = backend.score_variants(prompts.prefix_ids, groups, prompts.answers)
    whole = ScoringBackend.score_variants(backend, prompts.prefix_ids, groups, prompts.answers)
    assert [len(r) for r in reused] == [len(g.variants) for g in groups]
    flat_reused = [c for r in reused for row in r for c in row]
    flat_whole = [c for r in whole for row in r for c in row]
    assert len(flat_reused) == len(flat_whole) > 10
    assert flat_reused == pytest.approx(flat_whole, abs=1e-5)
    assert len({round(c, 6) for c in flat_reused}) > 1  # not a constant


def test_generation_never_repeats_a_token_trigram(tiny_verifier):
    """A random 2-layer model loops at once; the decoding rule keeps its continuation free of
    repeated token 3-grams (and the plain model is used: nothing here has an adapter)."""
    backend = tiny_verifier.backend
    prompt = tiny_verifier.explainer.writer.prompt_ids(TICKET, KEPT)
    (text,) = backend.generate([prompt], 40)
    ids = backend.tokenizer.encode(text, add_special_tokens=False)
    assert len(ids) >= 10  # it did generate
    trigrams = list(zip(ids, ids[1:], ids[2:]))
    assert len(trigrams) == len(set(trigrams))


# --- end to end, embedded model ---------------------------------------------------------------------
def _decisions_by_id(out):
    return {r["recordId"]: r["decisions"] for door in ("verified", "clean")
            for r in read_door_records(out)[door]}


@pytest.fixture(scope="module")
def small_sample(tmp_path_factory):
    lines = (EXAMPLES / "sample.jsonl").read_text(encoding="utf-8").splitlines()[:8]
    path = tmp_path_factory.mktemp("explain") / "small.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs(small_sample):
    return {r["recordId"]: r for r in map(json.loads, small_sample.read_text().splitlines())}


@pytest.fixture(scope="module")
def plain_run(small_sample, tmp_path_factory):
    out = tmp_path_factory.mktemp("plain") / "out"
    run(["--input", str(small_sample), "--output", str(out), *THRESHOLD])
    return _decisions_by_id(out)


@pytest.fixture(scope="module", params=["rejected", "all"])
def explained_run(request, small_sample, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"explain-{request.param}") / "out"
    totals = run(["--input", str(small_sample), "--output", str(out), "--explain", request.param,
                  *THRESHOLD])
    return request.param, totals, _decisions_by_id(out)


def test_explained_exactly_where_asked_and_verdicts_unchanged(explained_run, plain_run):
    mode, totals, explained = explained_run
    assert explained.keys() == plain_run.keys()
    asked = 0
    for rid, decisions in explained.items():
        for with_reason, without in zip(decisions, plain_run[rid]):
            # Verdicts identical; confidences equal up to float noise from Beam's batch sizes.
            assert (with_reason["verified"], with_reason["source"]) == (without["verified"], without["source"])
            assert with_reason["confidence"] == pytest.approx(without["confidence"], abs=1e-4)
            if with_reason["source"].startswith("validator:"):
                assert with_reason["reason"] and "evidence" not in with_reason
            elif mode == "all" or not with_reason["verified"]:
                asked += 1
                assert with_reason["reason"] and "\n" not in with_reason["reason"]
                assert len(with_reason["reason"]) <= 240 and "evidence" in with_reason
            else:
                assert "reason" not in with_reason and "evidence" not in with_reason
    assert asked > 0
    # Beam reports a counter only once it was incremented
    assert totals["explained"] == asked
    assert totals.get("reasons_fallback", 0) + totals.get("reasons_generated", 0) == asked


def _explained(explained):
    return [(rid, d) for rid, ds in explained.items() for d in ds if "evidence" in d]


def test_every_reason_is_sound_and_names_the_text(explained_run, inputs):
    _, totals, explained = explained_run
    reasons = []
    for rid, d in _explained(explained):
        reason = d["reason"]
        reasons.append(reason)
        decision = Decision(d["pii"], d["verified"], d["confidence"], d["source"])
        if is_template_reason(reason):
            assert reason.startswith("kept:" if d["verified"] else "rejected:")
            if d["evidence"]["text"] is not None:
                assert json.dumps(d["evidence"]["text"][:20], ensure_ascii=False)[1:-1] in reason \
                    or d["evidence"]["text"][:20] in reason
        else:
            prefix = lead(decision)
            assert reason.startswith(prefix + " ") and reason.endswith(".")
            body = reason[len(prefix):].strip().rstrip(".")
            assert reason_problem(body, inputs[rid]["input"], d["pii"], prefix,
                                  d["verified"]) is None, reason
    assert len(set(reasons)) > len(reasons) // 2  # not one sentence for everything
    assert totals.get("reasons_generated", 0) > 0  # the plain model writes, not only the template


def test_evidence_is_input_text_and_moves_the_confidence(explained_run, inputs):
    """Every evidence text is in the input, and removing it moves the confidence towards the
    other verdict: kept flags lose confidence, rejected ones gain. Re-scored here through a
    verifier of our own, so the reported `confidence_without` is checked, not trusted."""
    from beam_pii.config import VerifierConfig
    from beam_pii.inference.backends.base import ScoringGroup
    from beam_pii.inference.verifier import Verifier

    mode, _, explained = explained_run
    items = _explained(explained)
    with_text = [(rid, d) for rid, d in items if d["evidence"]["text"] is not None]
    if mode == "all":  # most kept flags rest on a part of the text
        assert len(with_text) >= len(items) // 2
    verifier = Verifier.load(VerifierConfig(threads=None))
    groups = []
    # No evidence text means precisely: no candidate window, removed alone, moves the confidence
    # towards the other verdict by MIN_MOVE (the decision rests on the whole text or on what it
    # lacks). Re-check that with the windows the explainer tried for that record.
    for rid, d in items:
        if d["evidence"]["text"] is not None:
            continue
        assert d["evidence"]["confidence_without"] is None
        text = inputs[rid]["input"]
        piis = [e["pii"] for e in explained[rid] if "evidence" in e]
        for window in candidate_windows(text, piis, CATALOG):
            masked = verifier.prompts.encode_record(window.masked(text), piis)
            groups.append(({**d, "evidence": None},
                           ScoringGroup(masked.ids, (verifier.prompts.question_ids(d["pii"]),))))
    for rid, d in with_text:
        text, ev = inputs[rid]["input"], d["evidence"]
        assert ev["text"] and ev["text"] in text
        moved = d["confidence"] - ev["confidence_without"]
        assert (moved >= MIN_MOVE) if d["verified"] else (-moved >= MIN_MOVE), (rid, d["pii"])
        if len(ev["text"]) < MAX_EVIDENCE_CHARS:  # the whole window: re-score the text without it
            masked = verifier.prompts.encode_record(text.replace(ev["text"], "", 1), (d["pii"],))
            groups.append((d, ScoringGroup(masked.ids, (verifier.prompts.question_ids(d["pii"]),))))
    assert groups  # something was checked
    scores = verifier.backend.score(verifier.prompts.prefix_ids, [g for _, g in groups],
                                    verifier.prompts.answers)
    for (d, _), (score,) in zip(groups, scores):
        if d["evidence"] is None:  # a window of a decision without evidence text
            towards_other = (d["confidence"] - score) if d["verified"] else (score - d["confidence"])
            assert towards_other < MIN_MOVE + 2e-3, d["pii"]
        else:
            assert score == pytest.approx(d["evidence"]["confidence_without"], abs=2e-3)
