"""The baselines' web app: bare Flask under the same gunicorn settings as the services, with a
trivial page and, on POST, one INSERT + commit on PostgreSQL (BENCH_BARE_DATABASE_URL), through
an engine made as the services make theirs."""
import os

from flask import Flask, request
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

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

    return app
