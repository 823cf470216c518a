"""YAML loaded with the line and column of every value, so errors can point at them.

PyYAML's composer keeps marks on nodes; building the Python values ourselves keeps
a map from each value's path to its position and lets a duplicate key be an error
instead of the silent "last one wins" of yaml.safe_load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class Located:
    """A loaded document and the position of each value, keyed by its path."""

    data: Any
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    # Plain (unquoted) scalars followed by a comment on their last line: ` #` ends a plain
    # value, so `sql: SELECT a #- b` loads as `SELECT a`. Kept for spec checks to flag.
    commented: set[Path_] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)
    # How many values have been built: aliases can make a small file expand without end.
    built: int = 0

    def position(self, path: Path_) -> Position:
        """The position of `path`, or of its nearest ancestor that has one."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Position(1, 1))


class YamlError(Exception):
    def __init__(self, message: str, position: Position) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


# libyaml's parser where PyYAML was built with it (its wheels are): the same nodes and
# marks, in a fifth of the time of the pure-Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# No spec comes near this many values; a document that expands past it through aliases
# (a "billion laughs") is refused at once instead of being built for ever.
MAX_VALUES = 200_000


def safe_load(text: str) -> Any:
    """yaml.safe_load on libyaml's parser where there is one (no positions kept)."""
    return yaml.load(text, Loader=_LOADER)


def _mark(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def load(text: str) -> Located:
    """Parse one YAML document; YamlError (with a position) when it is not valid YAML."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        located = Located(None, lines=text.splitlines())
        if node is not None:
            located.data = _build(loader, node, (), located)
        return located
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        raise YamlError(f"invalid YAML: {exc.problem or exc.context}", where) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", Position(1, 1)) from None
    finally:
        loader.dispose()


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, located: Located) -> Any:
    located.built += 1
    if located.built > MAX_VALUES:
        raise YamlError(
            f"the document expands to more than {MAX_VALUES:,} values (aliases that refer to "
            "aliases?); write the values out, a spec needs no such nesting",
            located.position(path[:1]),  # where, at the top, the expansion happens
        )
    located.positions[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise YamlError("a mapping key must be a plain value", _mark(key_node))
            if key in result:
                raise YamlError(
                    f"duplicate key {key!r} (each key may appear once)", _mark(key_node)
                )
            located.key_positions[(*path, str(key))] = _mark(key_node)
            result[key] = _build(loader, value_node, (*path, str(key)), located)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), located) for i, item in enumerate(node.value)]
    # A plain scalar: style None from PyYAML's parser, '' from libyaml's.
    if isinstance(node, yaml.ScalarNode) and not node.style:
        end = node.end_mark
        rest = located.lines[end.line][end.column :] if end.line < len(located.lines) else ""
        if rest[:1].isspace() and rest.lstrip().startswith("#"):
            located.commented.add(path)
    return loader.construct_object(node, deep=True)
