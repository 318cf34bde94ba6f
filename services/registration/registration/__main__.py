import sys

from shared.cli import main

from registration.api.roles import ROLES
from registration.bootstrap import bootstrap
from registration.demo import seed

sys.exit(main(bootstrap, seed, roles=ROLES))
