"""The imports of clausegate run one way, along the data flow.

spec → snapshot → diff → checks → phase → report, with the pytest plugin and the CLI on
top and targets and db beneath (../shared/design/architecture.md, "Layout"). A module may
import its own package and any package below it, never one above: every import counts,
also one inside a function or under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
from pathlib import Path

import clausegate

PACKAGE = Path(clausegate.__file__).parent
# Lowest first. The top-level modules every layer may use come first.
LAYERS = (
    ("__init__", "errors"),
    ("environment", "yamlpos"),
    ("config",),
    ("db",),
    ("targets",),
    ("spec",),
    ("migration",),
    ("snapshot",),
    ("diff",),
    ("checks",),
    ("draft",),
    ("phase",),
    ("report",),
    ("pytest",),
    ("cli",),
    ("__main__",),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def room_of(module: str) -> str:
    """`clausegate.snapshot.reading` → `snapshot`; `clausegate` → `__init__`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name / "__init__.py").is_file()


def imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "clausegate":
                # A module or package of clausegate, or a name of clausegate itself.
                found |= {
                    f"clausegate.{a.name}" if is_module(a.name) else "clausegate"
                    for a in node.names
                }
            elif node.module.startswith("clausegate."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("clausegate.")}
    return found


def own_room(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def test_every_room_has_a_layer() -> None:
    rooms = {own_room(path) for path in PACKAGE.rglob("*.py")}
    assert sorted(rooms - RANK.keys()) == []


def test_imports_run_one_way() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        mine = own_room(path)
        for module in sorted(imported(path)):
            other = room_of(module)
            if other != mine and RANK[other] >= RANK[mine]:
                upward.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert upward == []


def test_the_layer_test_sees_an_upward_import(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text("def f():\n    from clausegate.checks import judge\n", encoding="utf-8")
    assert imported(planted) == {"clausegate.checks"}
    assert RANK[room_of("clausegate.checks")] > RANK["snapshot"]
