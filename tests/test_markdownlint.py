"""The Markdown memo and diff pass markdownlint-cli2, as the records do.

Issue 19: the Markdown memo had hundreds of MD060 warnings (table pipes in two styles) and
MD036 (a whole paragraph in emphasis, used as a heading). Every memo here is linted with
markdownlint's default rules but line length (MD013), as the records are: a paragraph or a
table row is one line, which whoever shows the Markdown wraps. The tests skip, saying so,
where markdownlint-cli2 is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, MINI_ANSWERS, MINI_BANK, Result
from test_accessibility import WITH_CHART, half_unknown
from test_records_tools import run_tool, tool

from rewrite_advisor import yamlio

CONFIG = "default: true\nMD013: false\n"


def settled_team(folder: Path, answers: Path, disputed: list[str], dissent: str) -> Path:
    """A team file after the workshop: two people, the first question settled with one person's
    dissent, the second still open."""
    data = yamlio.read(answers).data
    people = ["Ana Souza", "Ben Okafor"]
    data["participants"] = people
    data["workshop"] = {
        "sources": [
            {"participant": name, "file": f"{name.split()[0].lower()}.yaml", "sha256": c * 64}
            for name, c in zip(people, "01", strict=True)
        ],
        "disputed": disputed,
        "settled": disputed[:1],
    }
    answer = data["answers"][disputed[0]]
    answer = answer if isinstance(answer, dict) else {"value": answer}
    answer["dissent"] = [
        {"participant": "Ben Okafor", "answer": 9, "reason": dissent},
        {"participant": "Ana Souza", "dont_know": True},
    ]
    data["answers"][disputed[0]] = answer
    data["answers"].pop(disputed[1], None)
    path = folder / f"team-{answers.stem}.yaml"
    path.write_text(yamlio.dump(data), encoding="utf-8")
    return path


def memos(name: str, folder: Path) -> dict[str, list[str | Path]]:
    """The memos of one group: output name -> the arguments of report."""
    if name == "examples":
        paths = [*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("shapes/*.yaml")]
        return {f"{p.parent.name}-{p.stem}": [p] for p in sorted(paths)}
    if name == "cases":
        return {p.stem: [p] for p in sorted(EXAMPLES.glob("cases/*.yaml"))}
    if name == "teams":
        example = EXAMPLES / "go-billing-strangler.yaml"
        return {
            "agenda": [*sorted((EXAMPLES / "workshop").glob("*.yaml"))],
            "settled": [settled_team(folder, example, ["team_size", "debt_trend"], "Two more.")],
            "settled-mini": [
                settled_team(folder, MINI_ANSWERS, ["freeze", "motive"], "We lose a release."),
                "--bank",
                MINI_BANK,
            ],
        }
    assert name == "scoring-model-1"
    return {**WITH_CHART, "half-unknown": [half_unknown(folder)]}


@pytest.mark.heavy
@pytest.mark.parametrize("group", ["examples", "cases", "teams", "scoring-model-1"])
def test_the_markdown_memos_pass_markdownlint(run, tmp_path: Path, group: str) -> None:
    markdownlint = tool("markdownlint-cli2")
    out = tmp_path / "memos"
    out.mkdir()
    made = memos(group, tmp_path)
    for stem, args in made.items():
        result: Result = run("report", *args, "-o", out / f"{stem}.md")
        assert result.code == 0, result.err
    (out / ".markdownlint.yml").write_text(CONFIG, encoding="utf-8")
    done = run_tool([markdownlint, "*.md"], out)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Linting: {len(made)} file(s)" in done.stdout + done.stderr


def test_the_markdown_diff_passes_markdownlint(run, tmp_path: Path) -> None:
    markdownlint = tool("markdownlint-cli2")
    pairs = [("not-yet-unknowns", "go-billing-strangler"), ("dont-rewrite-fashion",) * 2]
    for old, new in pairs:
        result = run("diff", EXAMPLES / f"{old}.yaml", EXAMPLES / f"{new}.yaml", "--format", "md")
        assert result.code == 0, result.err
        (tmp_path / f"{old}-to-{new}.md").write_text(result.out, encoding="utf-8")
    (tmp_path / ".markdownlint.yml").write_text(CONFIG, encoding="utf-8")
    done = run_tool([markdownlint, "*.md"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Linting: {len(pairs)} file(s)" in done.stdout + done.stderr
