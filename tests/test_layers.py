"""The layering of the code, checked on its imports.

cms.platform is the floor every domain builds on (plugins, outbox, the GraphQL
building blocks in cms.platform.api); cms.api is the composition root that
stitches the domains' schemas into one endpoint. An import from a domain up
into cms.api, or from cms.platform into a domain, would make the two layers
one tangle again."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "cms"


def _imports(path):
    module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
    package = module.split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                yield ".".join(base + ([node.module] if node.module else []))
            else:
                yield node.module


def _app(name):
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "cms" else None


def _violations(source_app, forbidden):
    found = []
    for path in sorted((ROOT / source_app).rglob("*.py") if source_app else ROOT.rglob("*.py")):
        app = path.relative_to(ROOT).parts[0].removesuffix(".py")
        if source_app is None and app in ("api", "urls", "settings"):
            continue
        for name in _imports(path):
            target = _app(name)
            if target and target != app and forbidden(target):
                found.append(f"{path.relative_to(ROOT.parent)} imports {name}")
    return found


def test_no_domain_imports_the_composition_root():
    assert _violations(None, lambda target: target == "api") == []


def test_the_platform_imports_no_domain():
    assert _violations("platform", lambda target: target != "platform") == []
