import sys

from shared.cli import main

from content.bootstrap import bootstrap
from content.demo import seed

sys.exit(main(bootstrap, seed))
