"""Roles are the Role enum: a role compared with a string literal would let a misspelling
through unnoticed, where `Role.ADMN` fails mypy."""

from __future__ import annotations

import ast
from pathlib import Path

import server
from server.accounts.tables import Role

SERVER = Path(server.__file__).parent


def is_role(node: ast.expr) -> bool:
    """`x.role` or `x["role"]` (a row's column)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "role"
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return node.slice.value in ("role", "account.role")
    return False


def test_roles_are_never_compared_with_string_literals() -> None:
    found = []
    for path in sorted(SERVER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            literal = any(
                isinstance(operand, ast.Constant) and isinstance(operand.value, str)
                for operand in operands
            )
            if literal and any(is_role(operand) for operand in operands):
                found.append(f"{path.relative_to(SERVER)}:{node.lineno} {ast.unparse(node)}")
    assert found == []


def test_roles_are_the_stored_strings() -> None:
    assert [str(role) for role in Role] == ["tailor", "designer", "admin"]
