"""No untyped row crosses a service boundary of the order domain: every function signature
under server/orders/ takes and returns records, typed forms or plain values, never
`dict[str, Any]` (nor another mapping to Any or object), so mypy checks every use."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ORDERS = Path(__file__).resolve().parents[2] / "server" / "orders"
# The one place a row becomes a record: its builder reads the row Piccolo returns.
ROW_READERS = {
    ("records.py", "from_row"),
    ("records.py", "from_rows"),
    # The order page's one-statement reads: each splits its joined row into records.
    ("queries.py", "why_you"),
    ("queries.py", "_prefixed"),
    ("queries.py", "events_of"),
    ("services.py", "payment_view"),
    ("services.py", "_values"),
    ("services.py", "_facts"),
    # The tailor's profile is the tailors domain's row (`profile_of` returns it so), read here
    # from the order page's statement instead of a second time.
    ("tailor.py", "standing_of"),
}
UNTYPED = re.compile(r"\b(dict|Dict|Mapping|MutableMapping)\[str, *(Any|object|typing\.Any)\]")


def untyped_signatures(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if (path.name, node.name) in ROW_READERS:
                continue
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            arguments += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
            annotations = [a.annotation for a in arguments if a.annotation is not None]
            if node.returns is not None:
                annotations.append(node.returns)
            for annotation in annotations:
                text = ast.unparse(annotation)
                if UNTYPED.search(text):
                    where = path.relative_to(root.parent.parent)
                    found.append(f"{where}:{node.lineno} {node.name}: {text}")
    return found


def test_no_order_service_takes_or_returns_an_untyped_dict() -> None:
    offenders = untyped_signatures(ORDERS)
    assert offenders == [], "\n".join(offenders)


def test_the_check_finds_an_untyped_signature(tmp_path: Path) -> None:
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / "example.py").write_text(
        "from typing import Any\n"
        "def typed(order: 'OrderRecord') -> int: ...\n"
        "async def untyped(order: dict[str, Any]) -> None: ...\n"
    )
    assert [line.split(" ")[1] for line in untyped_signatures(tmp_path / "orders")] == ["untyped:"]
