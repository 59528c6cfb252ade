"""The wheel installs into a fresh virtual environment and works from any folder.

The wheel is installed on its own (``--no-deps``) by the outer pip into a virtual environment
made without pip; its declared dependencies, and theirs, are lent from this environment, each
distribution linked alone, so nothing it does not declare is importable there. That proves
what installing it with its dependencies from the index would, in a few seconds instead of
twenty: the wheel's own files are complete (the questions, templates, archived banks and the
form's JavaScript are not Python packages) and its dependencies are declared.
"""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def runtime_closure(requirements: list[str]) -> dict[str, importlib.metadata.Distribution]:
    """The installed distributions that ``requirements`` need, transitively, without extras
    nobody asked for (a test-only dependency is left out)."""
    found: dict[str, importlib.metadata.Distribution] = {}
    seen: set[tuple[str, str]] = set()
    todo = [(Requirement(text), "") for text in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        dist = importlib.metadata.distribution(requirement.name)
        assert requirement.specifier.contains(dist.version, prereleases=True), (
            f"{requirement}: {dist.version} is installed here"
        )
        found[name] = dist
        for wanted in ["", *sorted(requirement.extras)]:
            if (name, wanted) not in seen:
                seen.add((name, wanted))
                todo += [(Requirement(text), wanted) for text in dist.requires or []]
    return found


def lend(dists: dict[str, importlib.metadata.Distribution], folder: Path) -> None:
    """Link each distribution's top-level files (packages, modules, .dist-info) into ``folder``."""
    folder.mkdir()
    for dist in dists.values():
        site = Path(str(dist.locate_file("")))
        tops = {Path(str(f)).parts[0] for f in dist.files or []}
        for top in tops - {"..", "__pycache__"}:
            if (site / top).exists() and not (folder / top).exists():
                (folder / top).symlink_to(site / top)


@pytest.mark.heavy
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
    venv.create(env_dir, with_pip=False)
    bin_dir = env_dir / "bin"
    python = bin_dir / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith("/METADATA")))
    requires = [
        line.split(":", 1)[1].strip()
        for line in metadata.decode().splitlines()
        if line.startswith("Requires-Dist:")
    ]
    assert any(r.startswith("weasyprint") for r in requires), requires
    lent = tmp_path / "lent"
    lend(runtime_closure(requires), lent)
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert site.startswith(str(env_dir)) and site != sysconfig.get_path("purelib")
    (Path(site) / "lent-dependencies.pth").write_text(f"{lent}\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    example = ROOT / "examples" / "go-billing-strangler.yaml"
    if not example.exists():
        example = ROOT / "tests" / "fixtures" / "mini-answers.yaml"
    command = [bin_dir / "rewrite-advisor"]
    # The command is the environment's own, not this one's.
    assert command[0].read_text().splitlines()[0] == f"#!{python}"

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

    # The earlier banks ship too: answers made with them still score with them.
    for version in ("1.0.0", "2.0.0"):
        old = (
            Path(__file__).resolve().parent
            / "fixtures"
            / f"bank-{version}"
            / "go-billing-strangler.yaml"
        )
        scored = run("report", str(old), "-o", f"old-{version}.json")
        assert scored.returncode == 0, scored.stderr
        assert f'"version": "{version}"' in (elsewhere / f"old-{version}.json").read_text()
