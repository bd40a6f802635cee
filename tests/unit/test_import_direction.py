"""The shape of the code, as its imports draw it: the order's life has one home
(`server/orders/`), dispatch is a pure policy it calls, and no two domains import each other.

Every import counts, at the top of a module or inside a function: a lazy import hides a cycle
from Python, not from the next reader."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SERVER = Path(__file__).resolve().parents[2] / "server"

# Modules that every domain may use: no domain logic, no imports of a domain.
SHARED = {"clock", "db", "text", "garments", "settings", "background", "files", "regions", "phones"}
ORDER_DOMAIN = "orders"
# What the order domain may build on.
ORDER_DOMAIN_MAY_IMPORT = {
    "dispatch",
    "notifications",
    "accounts",
    "auth",
    "tailors",
    "designers",
    "media",
    "idempotency",
    "web",
} | SHARED
# Domains the order domain builds on, which must not know it.
BELOW_ORDERS = ("dispatch", "notifications", "accounts", "tailors", "web")


def domain_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "server" or len(parts) < 2:
        return None
    # Piccolo's configuration module is the database's: `db` opens what it names.
    return "db" if parts[1] == "piccolo_conf" else parts[1]


def module_name(path: Path) -> str:
    relative = path.relative_to(SERVER.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            # `from server.orders import alerts` imports the module server.orders.alerts
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("server.")}


def import_graph() -> dict[str, set[str]]:
    """Domain -> the other domains its modules import."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in SERVER.rglob("*.py"):
        source = domain_of(module_name(path))
        if source is None:
            continue
        graph[source]
        for module in imported_modules(path):
            target = domain_of(module)
            if target is not None and target != source:
                graph[source].add(target)
    return graph


def importers_of_orders() -> dict[str, list[str]]:
    """Module -> the order-domain modules it imports, for modules outside the order domain."""
    found: dict[str, list[str]] = {}
    for path in SERVER.rglob("*.py"):
        module = module_name(path)
        if domain_of(module) == ORDER_DOMAIN:
            continue
        hits = sorted(m for m in imported_modules(path) if domain_of(m) == ORDER_DOMAIN)
        if hits:
            found[module] = hits
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one domain (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_order_domain_imports_only_what_it_builds_on() -> None:
    beyond = import_graph()[ORDER_DOMAIN] - ORDER_DOMAIN_MAY_IMPORT
    assert not beyond, f"server.orders imports {sorted(beyond)}"


@pytest.mark.parametrize("domain", BELOW_ORDERS)
def test_domains_below_the_order_domain_do_not_import_it(domain: str) -> None:
    offenders = {m: hits for m, hits in importers_of_orders().items() if domain_of(m) == domain}
    assert not offenders, f"{domain} imports the order domain: {offenders}"


def test_dispatch_is_a_policy_without_tables_or_alerts() -> None:
    """Dispatch decides who, in which wave and why; it reads no table and sends no alert."""
    imported = set().union(*(imported_modules(p) for p in (SERVER / "dispatch").rglob("*.py")))
    assert not {m for m in imported if m.endswith(".tables") or ".notifications" in m}, imported


def test_no_two_domains_import_each_other() -> None:
    assert cycles(import_graph()) == []


def test_the_checker_sees_a_cycle_and_a_forbidden_import() -> None:
    """The checks above can fail: a made-up graph with a cycle is caught."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
