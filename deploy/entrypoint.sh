#!/bin/sh
# The one entry point of every service image: the first argument says which process this
# container is. SERVICE is baked into the image by deploy/Dockerfile.
#   web        gunicorn serving <service>.app:create_app() on $<SERVICE>_PORT, with
#              deploy/gunicorn.conf.py (metrics added up over the workers)
#   relay      publish stored facts to RabbitMQ
#   worker     consume messages, keep read tables up to date, run scheduled work
#   mailer     send due mail (notifications: a process of its own beside the worker)
#   consumer, projector, scheduler   one of the worker's loops alone
#   declare-queues, seed-demo, status ...    the other `python -m <service>` commands
set -eu
: "${SERVICE:?SERVICE must be set (deploy/Dockerfile sets it from the build arg)}"

command="${1:-web}"
case "$command" in
  web)
    # Same variable settings.py reads, e.g. REGISTRATION_PORT, so the app and gunicorn agree.
    port_variable="$(printf '%s' "$SERVICE" | tr '[:lower:]' '[:upper:]')_PORT"
    port="$(printenv "$port_variable" || true)"
    if [ -z "$port" ]; then
      echo "entrypoint: set $port_variable to the port the $SERVICE web process listens on" >&2
      exit 2
    fi
    exec gunicorn -c /etc/cpw/gunicorn.conf.py --bind "0.0.0.0:$port" --workers 2 --access-logfile - \
      "$SERVICE.app:create_app()"
    ;;
  relay|worker|relay-and-worker|consumer|projector|scheduler|mailer|declare-queues|seed-demo|rebuild-projection|status)
    exec python -m "$SERVICE" "$@"
    ;;
  *)
    # Anything else runs as given, e.g. `docker compose run --rm content-web sh`.
    exec "$@"
    ;;
esac
