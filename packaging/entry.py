"""Entry point of the frozen application (both the windowed and the console executable)."""

import sys

from ui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
