"""The layers of ``docs/architecture.md`` hold in the code: its table "The layers" says which
layers each may import, and this test reads that table and every import in ``service/`` (at
the top of a module or inside a function alike). The table must order the layers (no two may
import each other), so no arrow runs back up; and every module must sit in one of its rows."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from service.config import ROOT

ARCHITECTURE = ROOT / "docs" / "architecture.md"
SERVICE = ROOT / "service"
NAMES = re.compile(r"`([^`]+)`")


def layer_table(text: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    """(module or package prefix → layer, layer → the layers it may import), from the rows of
    the table under "## The layers": a row's first cell names its paths, its last cell the layers."""
    section = text.split("## The layers", 1)[1].split("\n## ", 1)[0]
    homes: dict[str, str] = {}
    allowed: dict[str, set[str]] = {}
    for row in section.splitlines():
        if not row.startswith("| `service/"):
            continue
        cells = [cell.strip() for cell in row.strip().strip("|").split(" | ")]
        paths, may_import = NAMES.findall(cells[0]), set(NAMES.findall(cells[-1]))
        for path in paths:
            module = path.removesuffix("/").removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            layer = module.rsplit(".", 1)[-1] if module != "service" else "service"
            homes[module] = layer
            allowed[layer] = may_import
    return homes, allowed


def imports(path: Path, source: str) -> Iterator[tuple[int, str]]:
    """(line, imported module) for every ``service`` import in one file, relative ones resolved."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module.removesuffix(".__init__") if module.endswith(".__init__") else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            # ``from service import config`` imports the module service.config, not the package
            names = [f"{target}.{alias.name}" if target == "service" else target for alias in node.names]
        else:
            continue
        for name in names:
            if name == "service" or name.startswith("service."):
                yield node.lineno, name


def layer_of(module: str, homes: dict[str, str]) -> str | None:
    """The layer of the longest table entry that is this module or a package holding it."""
    matches = [prefix for prefix in homes if module == prefix or module.startswith(prefix + ".")]
    return homes[max(matches, key=len)] if matches else None


def upward_imports(
    sources: dict[Path, str], homes: dict[str, str], allowed: dict[str, set[str]]
) -> list[str]:
    found = []
    for path, source in sources.items():
        own = layer_of(
            ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"), homes
        )
        for line, target in imports(path, source):
            theirs = layer_of(target, homes)
            if theirs is not None and theirs != own and theirs not in allowed.get(own or "", set()):
                found.append(f"{path.relative_to(ROOT)}:{line} ({own}) imports {target} ({theirs})")
    return found


TABLE = layer_table(ARCHITECTURE.read_text(encoding="utf-8"))
SOURCES = {path: path.read_text(encoding="utf-8") for path in sorted(SERVICE.rglob("*.py"))}


def test_the_table_names_the_layers_it_lets_import_and_orders_them() -> None:
    _, allowed = TABLE
    assert {"domain", "documents", "adapters", "application", "api", "service"} <= set(allowed)
    for layer, lower in allowed.items():
        assert lower <= set(allowed), f"{layer} may import {lower - set(allowed)}, which no row defines"
    try:
        order = list(TopologicalSorter(allowed).static_order())
    except CycleError as exc:
        pytest.fail(f"two layers may import each other: {exc.args[1]}")
    assert order.index("domain") < order.index("application") < order.index("api") < order.index("service")


def test_every_module_sits_in_a_row_of_the_table() -> None:
    homes, _ = TABLE
    homeless = [
        str(path.relative_to(ROOT))
        for path in SOURCES
        if layer_of(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"), homes)
        is None
    ]
    assert not homeless, f"add these to the table in docs/architecture.md: {homeless}"


def test_no_module_imports_from_a_layer_it_may_not() -> None:
    assert upward_imports(SOURCES, *TABLE) == []


def test_an_upward_import_is_named_even_inside_a_function() -> None:
    domain = SERVICE / "domain" / "money.py"
    cli = SERVICE / "cli.py"
    sources = {
        domain: "def f():\n    from ..application.runtime import Runtime\n",
        cli: "def serve():\n    from service import create_app\n",
    }
    assert upward_imports(sources, *TABLE) == [
        "service/domain/money.py:2 (domain) imports service.application.runtime (application)",
        "service/cli.py:2 (cli) imports service.create_app (service)",
    ]


@pytest.mark.parametrize("library", ["flask", "sqlalchemy"])
def test_the_domain_imports_neither_flask_nor_sqlalchemy(library: str) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, source in SOURCES.items()
        if path.is_relative_to(SERVICE / "domain")
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        and any(
            name == library or name.startswith(library + ".")
            for name in (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            )
        )
    ]
    assert found == []
