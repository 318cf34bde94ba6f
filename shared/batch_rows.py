"""The rows of a projector's batch, held in memory: a small unit of work over a projection's tables.

An applier reads a row by its primary key (from the database at most once a batch), changes it,
inserts or deletes rows; nothing is written until the batch ends, when each table gets at most one
statement per kind of change (delete, update, insert), in the transaction that moves the
checkpoint. So catching up fact by fact and replaying the whole log run the same appliers, and a
replay costs a few statements a batch rather than a few a fact.

A row inserted under a key the batch has not read is taken to be new: should the table hold it
already, the insert at the end of the batch fails, and the whole batch with it. `db` is there for
the tables whose rows the batch does not hold (one whose key the database makes, say); a statement
on it runs at once, so it must never touch a table the batch holds rows of.
"""
from functools import cache

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update

Key = tuple


class DuplicateRow(Exception):
    """An applier inserted a row under a key its table holds already."""


class Rows:
    def __init__(self, db: Connection):
        self.db = db
        self._read: dict[Table, dict[Key, dict | None]] = {}  # as the database had them (None: no row)
        self._rows: dict[Table, dict[Key, dict | None]] = {}  # as the batch leaves them (None: deleted)
        self._added: dict[Table, list[dict]] = {}  # rows of tables without a key: only ever added

    def get(self, table: Table, *key) -> dict | None:
        """The row with this primary key as the batch has it so far (a copy to read), or None."""
        row = self._current(table, key)
        return None if row is None else dict(row)

    def one(self, table: Table, *key) -> dict:
        """As get, for a row that must be there: LookupError when it is not."""
        if (row := self.get(table, *key)) is None:
            raise LookupError(f"{table.name} has no row {key}")
        return row

    def insert(self, table: Table, **values) -> None:
        row = {**_defaults(table), **_known(table, values)}
        if not table.primary_key:
            self._added.setdefault(table, []).append(row)
            return
        key, rows = tuple(row[column.name] for column in table.primary_key), self._rows.setdefault(table, {})
        if rows.get(key) is not None:
            raise DuplicateRow(f"{table.name} holds {key} already")
        self._read.setdefault(table, {}).setdefault(key, None)
        rows[key] = row

    def update(self, table: Table, *key, **changes) -> bool:
        """Change the row with this key, as an UPDATE would (never its key: delete and insert for
        that); False when there is none."""
        if moved := changes.keys() & set(table.primary_key.columns.keys()):
            raise KeyError(f"{table.name}: a row's key does not change ({sorted(moved)})")
        row = self._current(table, key)
        if row is not None:
            row.update(_known(table, changes))
        return row is not None

    def delete(self, table: Table, *key) -> None:
        self._current(table, key)
        self._rows[table][key] = None

    def write(self) -> None:
        """Write what the batch changed: per table, its deletes, updates and inserts, each in one statement."""
        for table, rows in self._rows.items():
            read = self._read[table]
            self._run(delete(table).where(*_at_key(table)),
                      [_key_params(table, key) for key, row in rows.items() if row is None and read[key] is not None])
            self._run(update(table).where(*_at_key(table)),
                      [{**_key_params(table, key), **_values(table, row)} for key, row in rows.items()
                       if row is not None and read[key] is not None and row != read[key]])
            self._run(insert(table), [row for key, row in rows.items() if row is not None and read[key] is None])
        for table, rows in self._added.items():
            self._run(insert(table), rows)

    def _current(self, table: Table, key: Key) -> dict | None:
        if not table.primary_key:
            raise TypeError(f"{table.name} has no key: its rows can only be inserted")
        if len(key) != len(table.primary_key):
            raise TypeError(f"{table.name}'s key has {len(table.primary_key)} columns, not {len(key)}")
        rows = self._rows.setdefault(table, {})
        if key not in rows:
            found = self.db.execute(select(table).where(*(column == value for column, value
                                                          in zip(table.primary_key, key)))).mappings().first()
            self._read.setdefault(table, {})[key] = None if found is None else dict(found)
            rows[key] = None if found is None else dict(found)
        return rows[key]

    def _run(self, statement, params: list[dict]) -> None:
        if params:
            self.db.execute(statement, params)


@cache
def _defaults(table: Table) -> dict:
    """Every column, so that all the rows of one insert (and of one update) name the same columns:
    its default or None. A default the database or a function makes is not known here, so a table
    held in rows may not have one."""
    made_elsewhere = [column.name for column in table.columns if column.server_default is not None
                      or (column.default is not None and not column.default.is_scalar)]
    if made_elsewhere:
        raise TypeError(f"{table.name}: {made_elsewhere} have defaults made elsewhere; give them as values")
    return {column.name: column.default.arg if column.default is not None else None for column in table.columns}


def _known(table: Table, values: dict) -> dict:
    """The values, once each names a column of the table (as an INSERT or UPDATE would insist)."""
    if unknown := values.keys() - _columns(table):
        raise KeyError(f"{table.name} has no columns {sorted(unknown)}")
    return values


@cache
def _columns(table: Table) -> frozenset[str]:
    return frozenset(table.c.keys())


def _at_key(table: Table) -> list:
    return [column == bindparam(f"key_{column.name}") for column in table.primary_key]


def _key_params(table: Table, key: Key) -> dict:
    return {f"key_{column.name}": value for column, value in zip(table.primary_key, key)}


def _values(table: Table, row: dict) -> dict:
    return {name: value for name, value in row.items() if name not in table.primary_key.columns}
