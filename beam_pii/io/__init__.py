"""Input and output: `ReadRecords` (JSONL or Parquet in), `WritePartitioned` (three doors out),
and the commit that puts a successful run's results in place (`commit_run`)."""
from beam_pii.io.commit import abort_run, commit_run, new_run_id, staging_folder
from beam_pii.io.read import FORMATS, ReadRecords, detect_format, parse_line
from beam_pii.io.schemas import parquet_input_schema
from beam_pii.io.write import WritePartitioned

__all__ = ["FORMATS", "ReadRecords", "WritePartitioned", "abort_run", "commit_run", "detect_format",
           "new_run_id", "parquet_input_schema", "parse_line", "staging_folder"]
