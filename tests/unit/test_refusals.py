"""Every refusal is declared once: each code raised has its declaration, in its domain, with a
4xx status and an Indonesian text; the mechanism translates when read, not when declared."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import server
from server.web import i18n
from server.web.i18n import CATALOGUE_DIR
from server.web.refusals import N_, Refusal, Refusals, Refused

SERVER = Path(server.__file__).parent
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def refusal_classes() -> dict[str, type[Refused]]:
    for module in pkgutil.walk_packages(server.__path__, "server."):
        if not module.name.startswith("server.translations") and module.name != "server.__main__":
            importlib.import_module(module.name)

    def subclasses(cls: type[Refused]) -> Iterator[type[Refused]]:
        for subclass in cls.__subclasses__():
            yield subclass
            yield from subclasses(subclass)

    found: dict[str, type[Refused]] = {}
    for cls in subclasses(Refused):
        assert cls.__name__ not in found, f"two refusal classes named {cls.__name__}"
        found[cls.__name__] = cls
    return found


CLASSES = refusal_classes()


def refusal_calls() -> Iterator[tuple[str, int, str, str]]:
    """(file, line, class, code) of every `SomeError("code", …)` in the server's code."""
    for path in sorted(SERVER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            callee = node.func
            name = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", "")
            if name in CLASSES:
                for code in literal_codes(node.args[0]):
                    yield str(path.relative_to(SERVER)), node.lineno, name, code


def literal_codes(node: ast.expr) -> Iterator[str]:
    """The code, or both codes of `"a" if … else "b"`; a code from elsewhere is not seen."""
    if isinstance(node, ast.IfExp):
        yield from literal_codes(node.body)
        yield from literal_codes(node.orelse)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value


def indonesian_catalogue() -> dict[str, str]:
    with (CATALOGUE_DIR / "id" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="id")
    return {str(message.id): str(message.string) for message in catalogue if message.id}


def declared() -> list[Refusal]:
    return [refusal for cls in CLASSES.values() for refusal in cls.refusals]


def test_every_domain_declares_its_refusals() -> None:
    domains = {cls.__module__.split(".")[1] for cls in CLASSES.values()}
    expected = {"accounts", "admin", "designers", "idempotency", "media", "notifications", "orders"}
    assert expected | {"tailors"} <= domains, domains


def test_every_refusal_raised_is_declared() -> None:
    calls = list(refusal_calls())
    assert len(calls) > 50  # the scan sees the raise sites
    undeclared = [
        f"{path}:{line} {name}({code!r})"
        for path, line, name, code in calls
        if code not in CLASSES[name].refusals
    ]
    assert undeclared == []


def test_refusal_classes_do_not_chain_across_domains() -> None:
    """A domain's error is a Refused, or a narrower one of the same domain's."""
    for cls in CLASSES.values():
        for base in cls.__bases__:
            assert base is Refused or base.__module__.split(".")[1] == cls.__module__.split(".")[1]


def test_every_refusal_is_a_4xx_with_an_indonesian_text() -> None:
    catalogue = indonesian_catalogue()
    for refusal in declared():
        assert 400 <= refusal.status < 500, refusal
        translated = catalogue.get(refusal.text, "")
        assert translated, f"no Indonesian text for {refusal.code}: {refusal.text!r}"
        assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(refusal.text))


def test_a_refusal_reads_in_the_language_of_whoever_reads_it() -> None:
    error = CLASSES["ImageRejected"]("too_large")
    with i18n.using_locale("en"):
        english = error.message
    with i18n.using_locale("id"):
        indonesian = error.message
    assert english == "The photo is larger than 8 MB. Choose a smaller one."
    assert indonesian != english
    assert error.status == 413


def test_a_refusal_fills_its_placeholders() -> None:
    error = CLASSES["AdminError"]("too_many_lines", "lines", line=3, count=200)
    with i18n.using_locale("en"):
        assert error.message == "Line 3: At most 200 people at once. Split the list."


def test_an_undeclared_code_or_a_second_declaration_is_refused_at_once() -> None:
    class Example(Refused):
        refusals = Refusals(Refusal("known", 400, N_("Choose from the list.")))

    with pytest.raises(LookupError):
        Example("unknown")
    with pytest.raises(ValueError, match="declared twice"):
        Refusals(Refusal("same", 400, "A"), Refusal("same", 409, "B"))


def test_a_text_takes_what_is_known_only_when_it_is_read() -> None:
    limit = Refusal("limit", 400, "At most %(limit)s.", params=lambda: {"limit": i18n.rupiah(1000)})
    with i18n.using_locale("en"):
        assert limit.message() == "At most Rp1,000."
    with i18n.using_locale("id"):
        assert limit.message() == "At most Rp1.000."


def test_every_dispatch_rule_a_tailor_can_fail_is_declared() -> None:
    """Ineligible is raised with the rule's name (server.dispatch.rules), not a literal."""
    from server.dispatch.eligibility import NOT_LOCATED

    source = ast.parse((SERVER / "dispatch" / "rules.py").read_text(encoding="utf-8"))
    rules = {
        node.value.value
        for node in ast.walk(source)
        if isinstance(node, ast.Return)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }
    assert len(rules) > 5
    for rule in rules | {NOT_LOCATED}:
        assert CLASSES["Ineligible"](rule).status == 403
