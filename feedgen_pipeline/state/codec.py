"""Frozen dataclasses ↔ plain JSON values, driven by their type hints.

The cache keeps enriched Articles between runs. Pickle would tie the state to class layouts and
run code on load; JSON is inspectable and fails loudly (``CodecError``) on anything unexpected, so a
damaged or outdated record is rebuilt rather than trusted.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
import zlib
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # the no-change check decodes its stamp here without importing the model
    from ..model import Article, Document

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
    result: T = _decoder(typing.cast(Any, cls))(data, cls.__name__)
    return result


_SCALARS = (str, int, bool)

Decoder = Callable[[Any, str], Any]
"""Decodes a JSON value (second argument: where it is, for messages)."""


@cache
def _decoder(tp: Any) -> Decoder:
    """The decoder of one type, made once: every run that changes something decodes
    thousands of stored articles, and reading a type's hints for each value cost more than
    the decoding itself."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        options = typing.get_args(tp)
        nullable = type(None) in options
        inner = _decoder(next(o for o in options if o is not type(None)))

        def union(data: Any, where: str) -> Any:
            return None if data is None and nullable else inner(data, where)

        return union
    if origin is tuple:
        args = typing.get_args(tp)
        if args[-1] is not Ellipsis:  # tuple[A, B]: one of each, in order
            items = [_decoder(a) for a in args]
            wanted = f"a list of {len(items)}"
            if all(a in _SCALARS for a in args):  # (path, size, mtime): a type check each
                types_ = tuple(args)

                def scalars(data: Any, where: str) -> Any:
                    if (
                        type(data) is list
                        and len(data) == len(types_)
                        and all(type(v) is t for v, t in zip(data, types_, strict=True))
                    ):
                        return tuple(data)
                    return fixed(data, where)  # which names what does not fit

            def fixed(data: Any, where: str) -> Any:
                _expect(isinstance(data, list) and len(data) == len(items), where, wanted, data)
                try:  # each item's place is spelt out only for a message
                    return tuple(d(v, where) for d, v in zip(items, data, strict=True))
                except CodecError:
                    pairs = enumerate(zip(items, data, strict=True))
                    return tuple(d(v, f"{where}[{i}]") for i, (d, v) in pairs)

            return scalars if all(a in _SCALARS for a in args) else fixed
        item = _decoder(args[0])
        row = typing.get_args(args[0]) if typing.get_origin(args[0]) is tuple else ()

        def sequence(data: Any, where: str) -> Any:
            _expect(isinstance(data, list), where, "a list", data)
            if row and _rows_of(data, row):  # a stamp's thousands of (path, mtime)
                return tuple(map(tuple, data))
            try:  # each item's place is spelt out only for a message
                return tuple(item(v, where) for v in data)
            except CodecError:
                return tuple(item(v, f"{where}[{i}]") for i, v in enumerate(data))

        return sequence
    if origin is typing.Literal:
        allowed = typing.get_args(tp)

        def literal(data: Any, where: str) -> Any:
            _expect(data in allowed, where, f"one of {allowed}", data)
            return data

        return literal
    if dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if tp is datetime:
        return _datetime
    if tp is float:
        return _float
    if tp in _SCALARS:

        def scalar(data: Any, where: str) -> Any:
            _expect(type(data) is tp, where, tp.__name__, data)
            return data

        return scalar
    raise CodecError(f"cannot decode type {tp!r}")


def _rows_of(data: list[Any], types_: tuple[Any, ...]) -> bool:
    """Whether ``data`` is a list of lists whose items have exactly ``types_`` (scalars)."""
    if not all(t in _SCALARS for t in types_):
        return False
    size = len(types_)
    if not all(type(r) is list and len(r) == size for r in data):
        return False
    return all(all(type(r[k]) is t for r in data) for k, t in enumerate(types_))


def _dataclass_decoder(tp: Any) -> Decoder:
    hints = typing.get_type_hints(tp)
    fields = [
        (
            f.name,
            _decoder(hints[f.name]),
            f.compare
            or (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING),
        )
        for f in dataclasses.fields(tp)
    ]

    def record(data: Any, where: str) -> Any:
        _expect(isinstance(data, dict), where, "an object", data)
        try:  # each field's place is spelt out only for a message
            return tp(**_fields(data, where, lambda name: where))
        except CodecError:
            return tp(**_fields(data, where, lambda name: f"{where}.{name}"))

    def _fields(data: Any, where: str, place: Callable[[str], str]) -> dict[str, Any]:
        kwargs = {}
        for name, decode_field, required in fields:
            if name in data:
                kwargs[name] = decode_field(data[name], place(name))
            elif required:
                raise CodecError(f"{where}.{name}: missing")
        return kwargs

    return record


def _datetime(data: Any, where: str) -> datetime:
    _expect(isinstance(data, str), where, "a date", data)
    try:
        value = datetime.fromisoformat(data)
    except ValueError as e:
        raise CodecError(f"{where}: {e}") from e
    _expect(value.tzinfo is not None, where, "a date with a time zone", data)
    return value


def _float(data: Any, where: str) -> float:
    _expect(isinstance(data, int | float) and not isinstance(data, bool), where, "a number", data)
    return float(data)


def _expect(ok: bool, where: str, wanted: str, got: Any) -> None:
    if not ok:
        raise CodecError(f"{where}: expected {wanted}, got {type(got).__name__}")


def encode_document(document: Document) -> bytes:
    """The bytes a Document is stored as: its JSON, compressed (paragraphs make most of it)."""
    data = json.dumps(encode(document), ensure_ascii=False, separators=(",", ":"))
    # a Document is not yet sanitised: it may hold lone surrogates, kept as they are
    return zlib.compress(data.encode("utf-8", "surrogatepass"), 1)


def decode_document(data: bytes) -> Document | None:
    """The inverse of ``encode_document``; None for anything that does not decode."""
    from ..model import Document

    try:
        return decode(Document, json.loads(zlib.decompress(data).decode("utf-8", "surrogatepass")))
    except (ValueError, CodecError, zlib.error):
        return None


def encode_article(article: Article) -> str:
    """The JSON text an article is stored as."""
    return json.dumps(encode(article), ensure_ascii=False, separators=(",", ":"))
