import sys

from shared.cli import main

from content.api.roles import ROLES
from content.bootstrap import bootstrap
from content.demo import seed

sys.exit(main(bootstrap, seed, roles=ROLES))
