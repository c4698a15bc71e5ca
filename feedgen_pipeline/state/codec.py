"""Frozen dataclasses ↔ plain JSON values, driven by their type hints.

The cache keeps enriched Articles between runs. Pickle would tie the state to class layouts and
run code on load; JSON is inspectable and fails loudly (``CodecError``) on anything unexpected, so a
damaged or outdated record is rebuilt rather than trusted.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


class CodecError(ValueError):
    """A stored value does not fit the type it should decode to."""


def encode(value: Any) -> Any:
    """A dataclass (or tuple, datetime, scalar) as JSON-ready values. ``compare=False`` fields
    (explanations, not content) are left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.compare
        }
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def decode(cls: type[T], data: Any) -> T:
    """The inverse of ``encode``. Raises CodecError naming the first field that does not fit."""
    result: T = _decode(cls, data, cls.__name__)
    return result


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(tp: Any, data: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        options = typing.get_args(tp)
        if data is None and type(None) in options:
            return None
        for option in options:
            if option is not type(None):
                return _decode(option, data, where)
    if origin is tuple:
        item = typing.get_args(tp)[0]
        _expect(isinstance(data, list), where, "a list", data)
        return tuple(_decode(item, v, f"{where}[{i}]") for i, v in enumerate(data))
    if origin is typing.Literal:
        _expect(data in typing.get_args(tp), where, f"one of {typing.get_args(tp)}", data)
        return data
    if dataclasses.is_dataclass(tp):
        _expect(isinstance(data, dict), where, "an object", data)
        hints = _hints(tp)  # type: ignore[arg-type]
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in data:
                kwargs[f.name] = _decode(hints[f.name], data[f.name], f"{where}.{f.name}")
            elif f.compare or (
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            ):
                raise CodecError(f"{where}.{f.name}: missing")
        return tp(**kwargs)  # type: ignore[operator]
    if tp is datetime:
        _expect(isinstance(data, str), where, "a date", data)
        try:
            value = datetime.fromisoformat(data)
        except ValueError as e:
            raise CodecError(f"{where}: {e}") from e
        _expect(value.tzinfo is not None, where, "a date with a time zone", data)
        return value
    if tp is float:
        _expect(
            isinstance(data, int | float) and not isinstance(data, bool), where, "a number", data
        )
        return float(data)
    if tp in (str, int, bool):
        _expect(type(data) is tp, where, tp.__name__, data)
        return data
    raise CodecError(f"{where}: cannot decode type {tp!r}")


def _expect(ok: bool, where: str, wanted: str, got: Any) -> None:
    if not ok:
        raise CodecError(f"{where}: expected {wanted}, got {type(got).__name__}")
