"""Layers that only point down (docs/architecture.md): each app imports only the core and the apps below it,
never one above, never in a circle, and never another app's views. The layers are the import-linter contract
in pyproject.toml; these tests run it, and show it refuses an upward import."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# The project's URL table wires every app's public pages (each app's staff_urls.py names only its own views).
URL_TABLES = {"recordaccess.urls"}
VIEW_MODULES = {"views", "staff_views"}


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=os.environ | {"PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_app_imports_only_the_layers_below_it():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_contract(tmp_path):
    """The contract is not vacuous: a copy of the package in which the core imports review is refused."""
    shutil.copytree(ROOT / "recordaccess", tmp_path / "recordaccess", ignore=shutil.ignore_patterns("static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / "recordaccess" / "core" / "network.py").open("a") as module:
        module.write("\nfrom recordaccess.review import decisions  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert "recordaccess.core.network -> recordaccess.review.decisions" in result.stdout


def test_no_app_imports_another_apps_views():
    graph = grimp.build_graph("recordaccess")
    found = []
    for importer in sorted(graph.modules):
        if importer in URL_TABLES:
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            parts = imported.split(".")
            if len(parts) > 2 and parts[2] in VIEW_MODULES and parts[1] != importer.split(".")[1]:
                found.append(f"{importer} -> {imported}")
    assert found == []
