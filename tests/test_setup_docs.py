"""The README's set-up matches what the machine needs, and its commands leave the clone clean."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text()


def _quick_start() -> str:
    return README.split("## Quick start", 1)[1].split("\n## ", 1)[0]


def test_the_readme_apt_line_installs_what_ci_installs_for_the_memo() -> None:
    ci = (ROOT / ".ci" / "run").read_text().replace("\\\n", " ")
    memo_line = next(
        line for line in ci.splitlines() if "apt-get install" in line and "pango" in line
    )
    ci_packages = set(re.findall(r"\b(lib[\w.-]+|fonts-[\w-]+)", memo_line))
    apt = re.search(r"`apt-get install ([^`]+)`", " ".join(_quick_start().split()))
    assert apt is not None, "the quick start names no apt-get line"
    readme_packages = set(apt.group(1).split())
    assert "fonts-dejavu-core" in readme_packages
    # libharfbuzz0b comes with Pango; everything else CI installs for the memo is named.
    assert ci_packages - readme_packages <= {"libharfbuzz0b"}


def test_the_quick_start_writes_only_where_git_ignores() -> None:
    commands = re.findall(r"```sh\n(.*?)```", _quick_start(), re.S)
    outputs = [path for block in commands for path in re.findall(r"-o (\S+)", block)]
    assert outputs, "the quick start writes no file?"
    written = []
    for path in outputs:
        written.append(path)
        if path.endswith(".yaml"):  # assess offers the memo beside the answers
            written.append(path[: -len(".yaml")] + "-memo.html")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git clone")
    for path in [*written, "answers.yaml", "answers-memo.html", "memo.html", "team.yaml"]:
        ignored = subprocess.run(
            ["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, check=False
        )
        assert ignored.returncode == 0, f"{path} is not ignored by git"


def test_the_changelog_names_the_version_the_program_prints(run) -> None:
    """`--version`, the memo's footer and the newest CHANGELOG entry give the same version."""
    from pathlib import Path

    from rewrite_advisor import __version__

    changelog = (Path(__file__).resolve().parent.parent / "CHANGELOG.md").read_text("utf-8")
    newest = next(line for line in changelog.splitlines() if line.startswith("## "))
    assert newest.startswith(f"## {__version__} (")
    assert run("--version").out.strip() == f"rewrite-advisor {__version__}"
