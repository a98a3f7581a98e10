"""beam-pii: verify PII detections in Apache Beam with small local LLMs.

Public API:
    VerifyPII, VerifyPIIResult      the composite transform and its three doors
    PIIVerificationModelHandler     the RunInference ModelHandler
    VerifierConfig                  the frozen configuration that travels to workers
    VerifyPIIOptions                pipeline flags
    ReadRecords, WritePartitioned   JSONL/Parquet in, Hive-style partitions out
    Catalog, PIIType                the PII element types
"""
from beam_pii.catalog import Catalog, PIIType
from beam_pii.config import VerifierConfig
from beam_pii.handler import PIIVerificationModelHandler
from beam_pii.io import ReadRecords, WritePartitioned
from beam_pii.options import VerifyPIIOptions
from beam_pii.transforms import VerifyPII, VerifyPIIResult

__version__ = "0.1.0"
__all__ = ["Catalog", "PIIType", "PIIVerificationModelHandler", "ReadRecords", "VerifierConfig",
           "VerifyPII", "VerifyPIIOptions", "VerifyPIIResult", "WritePartitioned", "__version__"]
