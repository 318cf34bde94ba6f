"""Health reports a consumer with no live subscription, from the liveness row the consumer keeps
in its service's database: the web process and `status` are other processes than the consumer."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from shared.consumer import STALE_AFTER_HEARTBEATS
from shared.settings import load

from content.bootstrap import bootstrap


def test_health_reports_a_consumer_that_stopped_confirming_its_subscription(tmp_path):
    content = bootstrap(load("content", {"VAR_DIR": str(tmp_path)}))
    runtime = content.runtime
    assert runtime.health()["broker"] == "ok", "a consumer that never ran yet is not reported"
    with runtime.engine.begin() as db:
        runtime.liveness.confirm(db, "content")
    assert runtime.health()["broker"] == "ok"
    silent = STALE_AFTER_HEARTBEATS * runtime.settings.broker_heartbeat + 5
    with runtime.engine.begin() as db:
        db.execute(update(runtime.liveness.table).values(
            alive_at=datetime.now(timezone.utc) - timedelta(seconds=silent)))
    broker = runtime.health()["broker"]
    runtime.engine.dispose()
    assert broker.startswith("no live subscription"), broker
