"""The wheel installs into a fresh virtual environment and works from any folder."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.timeout(600)
def test_wheel_installs_and_reports_from_another_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("rewrite_advisor-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([bin_dir / "pip", "install", "-q", str(wheel)], check=True, capture_output=True)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    example = ROOT / "examples" / "go-billing-strangler.yaml"
    if not example.exists():
        example = ROOT / "tests" / "fixtures" / "mini-answers.yaml"
    command = [bin_dir / "rewrite-advisor"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, *args], cwd=elsewhere, capture_output=True, text=True)

    checked = run("check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("ok: rewrite-advisor-default")

    args = ["report", str(example), "-o", "memo.html"]
    if example.name == "mini-answers.yaml":
        args += ["--bank", str(ROOT / "tests" / "fixtures" / "mini")]
    reported = run(*args)
    assert reported.returncode == 0, reported.stderr
    assert (elsewhere / "memo.html").read_text().startswith("<!DOCTYPE html>")

    where = subprocess.run(
        [bin_dir / "python", "-c", "import rewrite_advisor; print(rewrite_advisor.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(env_dir)), "the test ran the source tree, not the wheel"
    assert run("questions").stdout.count("\n") > 30

    # The answer form's templates and the condition evaluator's JavaScript ship too.
    formed = run("form", "-o", "form.html")
    assert formed.returncode == 0, formed.stderr
    page = (elsewhere / "form.html").read_text()
    assert "RewriteAdvisorConditions" in page and "RewriteAdvisorYaml" in page

    # The earlier bank ships too: answers made with it still score with it.
    old = Path(__file__).resolve().parent / "fixtures" / "bank-1.0.0" / "go-billing-strangler.yaml"
    scored = run("report", str(old), "-o", "old.json")
    assert scored.returncode == 0, scored.stderr
    assert '"version": "1.0.0"' in (elsewhere / "old.json").read_text()
