"""Input and output: `ReadRecords` (JSONL or Parquet in) and `WritePartitioned` (three doors out)."""
from beam_pii.io.read import FORMATS, ReadRecords, detect_format, parse_line
from beam_pii.io.write import WritePartitioned, clear_previous_results

__all__ = ["FORMATS", "ReadRecords", "WritePartitioned", "clear_previous_results", "detect_format",
           "parse_line"]
