#!/bin/bash
# Run once by the postgres image, when its data volume is first initialised
# (/docker-entrypoint-initdb.d). One database per service, owned by a role of the same name
# that can reach only that database: the services share facts over RabbitMQ, never tables.
# Passwords come from the environment docker-compose.yml passes in from .env; changing them
# later needs ALTER ROLE (or a fresh volume), because this script does not run again.
set -eu

for service in registration content notifications; do
  variable="$(printf '%s' "$service" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  if [ -z "$(printenv "$variable" || true)" ]; then
    echo "init-databases: $variable is not set" >&2
    exit 1
  fi
  # \getenv reads the password inside psql, so it never appears on a command line;
  # :"name" and :'password' make psql quote the identifier and the literal.
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres --set name="$service" <<SQL
\getenv password $variable
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
