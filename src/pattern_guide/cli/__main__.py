"""`python -m pattern_guide.cli`."""

import sys

from pattern_guide.cli import main

sys.exit(main())
