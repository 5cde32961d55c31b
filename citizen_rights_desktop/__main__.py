"""``python -m citizen_rights_desktop``: the same as the ``citizen-rights`` command.

The program's entry point, not part of the core's API: it is the one module of this package that
may import ``ui`` (declared in the import contracts), so that starting without a sub-command opens
the window as the installed command does.
"""

import sys

from ui.launcher import main

sys.exit(main())
