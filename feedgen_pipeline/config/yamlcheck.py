"""YAML with line numbers, and a checker that collects problems instead of stopping.

Every problem names the file, the line and the dotted key path, and all of them are reported at
once: the config module reads typed values through ``Checker`` and raises one ConfigError.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import ConfigError


class Lines(dict[str, int]):
    """Dotted key path → 1-based line number."""


def load_yaml(text: str, filename: str) -> tuple[Any, Lines]:
    loader = yaml.SafeLoader(text)
    lines = Lines()
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, lines
        return _construct(loader, node, "", lines), lines
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{filename}:{mark.line + 1}" if mark is not None else filename
        problem = getattr(e, "problem", None) or str(e)
        raise ConfigError([f"{where}: invalid YAML: {problem}"]) from e
    finally:
        loader.dispose()


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def _construct(loader: yaml.SafeLoader, node: yaml.Node, path: str, lines: Lines) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
        # what safe_load would refuse too: a tag asking to build an object
        raise yaml.constructor.ConstructorError(
            None, None, f"unsupported tag {node.tag!r}", node.start_mark
        )
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            sub = f"{path}.{key}" if path else str(key)
            lines[sub] = key_node.start_mark.line + 1
            out[key] = _construct(loader, value_node, sub, lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(loader, item, f"{path}[{i}]", lines) for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


# ---------------------------------------------------------------- checking


class Checker:
    """Reads typed values out of plain YAML data, collecting problems instead of stopping."""

    def __init__(self, filename: str, lines: Lines) -> None:
        self.filename = filename
        self.lines = lines
        self.problems: list[str] = []
        self.check_builtin = False
        """Check the built-in data too (``default_rules``), not only what the user wrote."""
        self.user_entries: set[str] = set()
        """Key paths of rule entries the user's config wrote or changed."""

    def problem(self, path: str, message: str) -> None:
        line = self.lines.get(path)
        if line is None:  # a missing key: point at its parent
            parent = path.rsplit(".", 1)[0] if "." in path else ""
            line = self.lines.get(parent)
        where = f"{self.filename}:{line}" if line else self.filename
        self.problems.append(f"{where}: {path}: {message}")

    def mapping(self, value: Any, path: str, known: tuple[str, ...]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping, got {kind_of(value)}")
            return {}
        for key in value:
            if key not in known:
                sub = f"{path}.{key}" if path else str(key)
                self.problem(sub, f"unknown key (known: {', '.join(known)})")
        return value

    def get(
        self,
        data: dict[str, Any],
        path: str,
        key: str,
        types: type | tuple[type, ...],
        default: Any,
        *,
        required: bool = False,
    ) -> Any:
        sub = f"{path}.{key}" if path else key
        if key not in data or data[key] is None:
            if required:
                self.problem(sub, "required key is missing")
            return default
        value = data[key]
        # bool is an int in Python; a YAML `yes` is never a number here
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in _tuple(types)):
            self.problem(sub, f"expected {_names(types)}, got {kind_of(value)} {value!r}")
            return default
        return value

    def string_list(
        self, data: dict[str, Any], path: str, key: str, default: tuple[str, ...]
    ) -> tuple[str, ...]:
        value = self.get(data, path, key, list, None)
        if value is None:
            return default
        out = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item:
                out.append(item)
            else:
                self.problem(f"{path}.{key}[{i}]", f"expected a non-empty string, got {item!r}")
        return tuple(out)


def _tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def _names(types: type | tuple[type, ...]) -> str:
    words = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a mapping",
    }
    return " or ".join(words.get(t, t.__name__) for t in _tuple(types))


def kind_of(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        type(None): "nothing",
    }.get(type(value), "a value")
