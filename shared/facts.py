"""Facts as a service records them: small frozen dataclasses, each naming its stored type and its
schema version explicitly, so that renaming a class never changes what is stored.

    @dataclass(frozen=True)
    class ActivityOpened(Fact, type_name="ActivityOpened", version=1):
        activity_id: str

A fact whose shape changes gets the next version and an upcaster from the one before
(`{("ActivityDrafted", 1): upcast_v1_v2}`), registered at bootstrap: stored facts are upcast when
read, never rewritten. Moments are stored as ISO 8601 in UTC and come back as aware datetimes; a
field that is itself a dataclass (a value object) is stored as an object and comes back as one.
"""
import dataclasses
import functools
import typing
import zlib
from datetime import datetime
from typing import Callable, ClassVar

from shared.timefmt import iso_utc

Upcaster = Callable[[dict], dict]


class Fact:
    type_name: ClassVar[str]
    schema_version: ClassVar[int]

    def __init_subclass__(cls, type_name: str = "", version: int = 1, **options):
        super().__init_subclass__(**options)
        if not type_name:
            raise TypeError(f"{cls.__name__} must name the type it is stored as: class {cls.__name__}"
                            f"(Fact, type_name=...)")
        cls.type_name, cls.schema_version = type_name, version

    def to_data(self) -> dict:
        return {field.name: stored(getattr(self, field.name)) for field in dataclasses.fields(self)}

    @classmethod
    def from_data(cls, data: dict):
        hints = type_hints(cls)
        return cls(**{name: loaded(hints.get(name), value) for name, value in data.items()})


def stored(value):
    """A value as a fact's JSON holds it: moments in ISO 8601 UTC, value objects as objects."""
    if isinstance(value, datetime):
        return iso_utc(value)
    if dataclasses.is_dataclass(value):
        return {field.name: stored(getattr(value, field.name)) for field in dataclasses.fields(value)}
    return value


def loaded(hint, value):
    """A stored value back as the type the fact declares (a datetime, a value object)."""
    if value is None or hint is None:
        return value
    if hint is datetime:
        return datetime.fromisoformat(value)
    if dataclasses.is_dataclass(hint):
        hints = type_hints(hint)
        return hint(**{name: loaded(hints.get(name), item) for name, item in value.items()})
    return value


@functools.cache
def type_hints(cls: type) -> dict:
    """A class's field types, worked out once: every fact read from a stream needs them."""
    return typing.get_type_hints(cls)


def facts_by_type(*classes: type[Fact]) -> dict[str, type[Fact]]:
    """The stored type name of each fact class, refusing two classes stored under one name."""
    found = {}
    for cls in classes:
        if cls.type_name in found:
            raise TypeError(f"{cls.__name__} and {found[cls.type_name].__name__} are both stored as {cls.type_name}")
        found[cls.type_name] = cls
    return found


def check_upcasters(facts: dict[str, type[Fact]], upcasters: dict[tuple[str, int], Upcaster]) -> None:
    """Every older version of every fact can be brought up to date: refuse to start otherwise."""
    for type_name, cls in facts.items():
        missing = [v for v in range(1, cls.schema_version) if (type_name, v) not in upcasters]
        if missing:
            raise TypeError(f"{type_name} is at version {cls.schema_version} but has no upcaster from "
                            f"version {', '.join(map(str, missing))}")


def shape_fingerprint(facts: dict[str, type[Fact]]) -> int:
    """A number that changes whenever any fact's version does: snapshots taken under other versions
    are then passed over and the stream replayed, with no number to remember to bump."""
    shape = ",".join(f"{name}:{cls.schema_version}" for name, cls in sorted(facts.items()))
    return zlib.crc32(shape.encode()) & 0x7FFFFFF
