"""Notifications's admin API against its own OpenAPI document (see tests/support/fuzzing.py)."""
from tests.support.fuzzing import GENERATED, admin_api, keeps_its_contract

schema = admin_api("notifications")


@schema.parametrize()
@GENERATED
def test_the_api_keeps_its_contract(case):
    keeps_its_contract(case)
