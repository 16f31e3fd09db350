"""Layers that hold: the import contracts of pyproject.toml, and no import cycles.

The contracts ([tool.importlinter] in pyproject.toml) state the layers once: front doors,
readers, runners, models, setup, data, declarations; imports point down. The graph is
import-linter's (grimp), with imports inside functions and under TYPE_CHECKING counted:
a cycle hidden in a function is still a cycle. A cycle still to be removed is pinned by a
strict xfail, which turns red the day it is gone so that the exception is removed with it.
"""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest
from importlinter.api import read_configuration  # configures import-linter; import first
from importlinter.application.use_cases import lint_imports

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
CONTRACTS = {c["id"]: c for c in read_configuration(str(PYPROJECT))["contracts_options"]}

#: Cycles in files other helpers are rewriting: the validation battery (wargame/validation/,
#: a type import). The reform split's (reform.agents <-> reform.model) and the crisis
#: model's (agents <-> crisis_setup <-> model) are gone.
KNOWN_CYCLES = (
    frozenset({"wargame.validation.context", "wargame.validation.experiments"}),
)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("wargame", cache_dir=None)


def _check(contract: str) -> bool:
    return lint_imports(str(PYPROJECT), limit_to_contracts=(contract,), no_logo=True,
                        cache_dir=None)


@pytest.mark.parametrize("contract", CONTRACTS)
def test_import_contract_is_kept(contract):
    assert _check(contract), f"contract {contract!r} broken: see the report above"


def _cycles(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_no_import_cycle_outside_the_files_being_rewritten(graph):
    new = [sorted(c) for c in _cycles(graph) if c not in KNOWN_CYCLES]
    assert new == [], f"import cycles: {new}"


@pytest.mark.parametrize("cycle", [
    pytest.param(cycle, id=" <-> ".join(sorted(cycle)), marks=pytest.mark.xfail(
        strict=True, reason="in files the validation battery's owner rewrites"))
    for cycle in KNOWN_CYCLES])
def test_the_known_cycles_are_gone(graph, cycle):
    assert cycle not in _cycles(graph)


def test_the_crisis_set_up_does_not_import_the_agents(graph):
    assert not graph.direct_import_exists(importer="wargame.crisis_setup",
                                          imported="wargame.agents")


def test_every_module_is_in_a_layer(graph):
    """A new module must be placed in a layer, or the contract says nothing about it."""
    layers = CONTRACTS["layers"]["layers"]
    placed = {name.strip() for layer in layers for name in layer.split(":")}
    packages = {m for m in graph.modules if any(p.startswith(m + ".") for p in graph.modules)}
    unplaced = sorted(m for m in graph.modules - packages if m.startswith("wargame")
                      and not any(m == p or m.startswith(p + ".") for p in placed))
    assert unplaced == [], f"place these in a layer of pyproject.toml: {unplaced}"


def test_a_cycle_is_found_where_there_is_one():
    """The cycle finder itself, on a graph with a known cycle and a known non-cycle."""
    graph = grimp.ImportGraph()
    for importer, imported in (("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")):
        graph.add_import(importer=importer, imported=imported)
    assert _cycles(graph) == [frozenset({"p.a", "p.b", "p.c"})]
