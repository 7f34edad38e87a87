"""`python -m simulator` does what `shadowbox` does."""

import sys

from simulator.cli import main

sys.exit(main())
