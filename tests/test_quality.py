"""The code passes the linters and the strict type checker, as CI requires."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT


def tool(name: str) -> list[str]:
    found = shutil.which(name, path=str(__import__("pathlib").Path(sys.executable).parent))
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return [found]


@pytest.mark.parametrize(
    "args", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"]
)
def test_ruff(args: list[str]) -> None:
    result = subprocess.run([*tool("ruff"), *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.timeout(300)
def test_mypy_strict() -> None:
    result = subprocess.run(tool("mypy"), cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
