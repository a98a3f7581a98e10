"""`python -m beam_pii_tools.evaluation`: the `beam-pii evaluate` command."""
import sys

from beam_pii_tools.evaluation.cli import main

sys.exit(main())
