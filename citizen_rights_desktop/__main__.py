import sys

from citizen_rights_desktop.cli import main

sys.exit(main())
