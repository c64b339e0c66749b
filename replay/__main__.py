"""Entry point for `python -m replay`."""

import sys

from .cli import main

sys.exit(main())
