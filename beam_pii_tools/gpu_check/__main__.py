"""`python -m beam_pii_tools.gpu_check`."""
import sys

from beam_pii_tools.gpu_check.cli import main

sys.exit(main())
