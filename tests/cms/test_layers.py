"""The direction of dependencies is checked by a tool, and the check fails when a lower layer calls up.

`lint-imports` (import-linter, configured in pyproject.toml) sees every import, those inside functions
included; `make test` runs it. These tests show it holds for the tree as it is and that it catches a
breach, and that no campaigns module hides an import inside a function.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("campaigns", "events", "resources", "cms")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree_copy(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_layer_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_the_email_pipeline_importing_bookings_inside_a_function_breaks_the_contract(tree_copy):
    (tree_copy / "campaigns" / "mail" / "calls_up.py").write_text(
        "def cancel_everything():\n    from campaigns.bookings import services\n\n    return services\n"
    )
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "campaigns.mail.calls_up -> campaigns.bookings.services" in result.stdout


def test_the_library_importing_campaigns_breaks_the_apps_contract(tree_copy):
    (tree_copy / "resources" / "calls_up.py").write_text("from campaigns.models import Booking  # noqa\n")
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "resources.calls_up -> campaigns.models" in result.stdout


def function_level_imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    yield f"{path.relative_to(ROOT)}:{inner.lineno} in {node.name}()"


def test_no_campaigns_module_imports_inside_a_function():
    # AppConfig.ready() is where Django wants signal receivers imported; nowhere else.
    found = [
        place
        for path in sorted((ROOT / "campaigns").rglob("*.py"))
        if "migrations" not in path.parts and path.name != "apps.py"
        for place in function_level_imports(path)
    ]
    assert found == []
