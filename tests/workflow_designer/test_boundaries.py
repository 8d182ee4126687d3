"""The layers of ``workflow_designer`` hold: the engine and the policies are pure, the
runtime never reaches for the web layer, and nothing under it imports ``portal``."""

from __future__ import annotations

import ast
import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PURE_PACKAGES = ("workflow_designer.engine", "workflow_designer.policy")
WEB_AND_DATABASE = ("flask", "werkzeug", "jinja2", "sqlalchemy", "psycopg", "models", "portal")


def _loaded_after_import(package: str) -> list[str]:
    """Every top-level module a fresh interpreter holds after importing ``package`` and
    each of its submodules."""
    script = f"""
import importlib, json, pkgutil, sys
package = importlib.import_module({package!r})
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_the_pure_packages_load_no_web_or_database_library(package):
    loaded = _loaded_after_import(package)
    assert not [name for name in WEB_AND_DATABASE if name in loaded]


def test_the_check_sees_a_web_library_when_one_is_loaded():
    # The control: importing the designer's pages does load Flask and SQLAlchemy.
    loaded = _loaded_after_import("portal.designer")
    assert {"flask", "sqlalchemy", "workflow_designer"} <= set(loaded)


def _imported_modules(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _imports_under(folder: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(ROOT)): _imported_modules(path)
        for path in sorted((ROOT / folder).rglob("*.py"))
    }


def test_nothing_under_workflow_designer_imports_the_portal():
    offenders = {
        path: sorted(name for name in names if name.split(".")[0] == "portal")
        for path, names in _imports_under("workflow_designer").items()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_runtime_never_imports_flask():
    offenders = {
        path: sorted(name for name in names if name.split(".")[0] in ("flask", "werkzeug"))
        for path, names in _imports_under("workflow_designer/runtime").items()
    }
    assert {path: names for path, names in offenders.items() if names} == {}
