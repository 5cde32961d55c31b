import sys

from citizen_rights_desktop.launcher import main

sys.exit(main())
