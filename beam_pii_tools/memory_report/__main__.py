"""`python -m beam_pii_tools.memory_report`."""
import sys

from beam_pii_tools.memory_report.cli import main

sys.exit(main())
