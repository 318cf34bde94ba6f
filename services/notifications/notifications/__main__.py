import sys

from shared.cli import main

from notifications.bootstrap import bootstrap

sys.exit(main(bootstrap))
