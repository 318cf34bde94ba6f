"""The baselines' web app: bare Flask under the same gunicorn settings as the services, with a
trivial page, on POST one INSERT + commit on PostgreSQL (BENCH_BARE_DATABASE_URL), and on GET /rows
one SELECT of up to 200 rows as JSON; through an engine made as the services make theirs."""
import os

from flask import Flask, jsonify, request
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select

from shared.database import make_engine

metadata = MetaData()
rows = Table("bare_rows", metadata, Column("id", Integer, primary_key=True), Column("email", String(254)))


def create_app() -> Flask:
    app = Flask(__name__)
    engine = make_engine(os.environ["BENCH_BARE_DATABASE_URL"])
    metadata.create_all(engine)

    @app.get("/page")
    def page():
        return '<form method="post"><input name="csrf_token" value="bare"></form>'

    @app.post("/page")
    def post():
        with engine.begin() as db:
            db.execute(insert(rows).values(email=request.form.get("email", "")))
        return "", 303, {"Location": "/page"}

    @app.get("/rows")
    def read_rows():
        with engine.connect() as db:
            found = db.execute(select(rows.c.id, rows.c.email).order_by(rows.c.id).limit(200))
            return jsonify([{"id": row.id, "email": row.email} for row in found])

    return app


def seed_rows(url: str, count: int) -> None:
    """The table, with `count` rows for GET /rows to read."""
    engine = make_engine(url)
    try:
        metadata.create_all(engine)
        if count:
            with engine.begin() as db:
                db.execute(insert(rows), [{"email": f"row{i}@example.org"} for i in range(count)])
    finally:
        engine.dispose()
