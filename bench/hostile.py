"""The hostile-input suite: bad, endless, special and malicious inputs to every command.

Each case runs the real program as a process, in a folder of its own, with a time limit, and
is judged on five counts:

* traceback: a Python traceback on stderr, exit code 1, or death by a signal;
* hang: still running at its time limit (then killed);
* contract: an exit code the case does not allow, or exit 2 without exactly one
  ``error: ...`` line on stderr;
* damage: a file the case protects (every input, the question bank, a device, a link, an
  output that existed before a failed write) changed, replaced or gone, or a temporary file
  left behind;
* injection: a control character from a file (ESC, BEL, CR, C1, a bidirectional override)
  reached standard output or standard error.

What it covers (categories, printed with their counts at the end): bad and endless files in
every place a command reads one (answers, team files, records, diffs, banks, rules), special
files (devices, FIFOs, sockets, links, folders, unreadable files), huge numbers, malformed and
hostile PDFs, terminal escape sequences, output targets (inputs, links, devices, FIFOs,
read-only files and folders, a full disk), bad usage, large banks, and the interactive
``assess`` in a pseudo-terminal. Multi-file record writes killed at every rename and concurrent
writers are covered by the record tests, not here.

    python bench/hostile.py                 # every case, two at a time (about 10 minutes)
    python bench/hostile.py --only pdf      # the categories whose name contains 'pdf'
    python bench/hostile.py --every 10      # one case in ten (what the test suite runs)

Exits 1 if any case fails, printing each failure with what the program printed.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import hashlib
import json
import os
import random
import re
import resource
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MINI_BANK = ROOT / "tests" / "fixtures" / "mini"
MINI_ANSWERS = ROOT / "tests" / "fixtures" / "mini-answers.yaml"
MB = 1024 * 1024
NOBODY = 65534

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ESC = "\x1b]0;PWNED\x07\x1b[31mRED\x1b[0m"
"""A window-title change (OSC), a bell and a colour: what an attacker would plant."""


def yaml_text(text: str) -> str:
    """``text`` as a double-quoted YAML string, control characters written as escapes."""
    return '"' + CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + '"'


@dataclass
class Case:
    """One run of the program and what it must (not) do."""

    category: str
    name: str
    args: list[str]
    codes: tuple[int, ...] = (0, 2)
    """The exit codes allowed."""
    files: dict[str, bytes] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    outputs: tuple[str, ...] = ()
    """Files the case may create or change; every other file in the folder is protected."""
    protect: tuple[str, ...] = ()
    """Paths outside the folder that must not change (devices)."""
    feed: tuple[str, bytes] | None = None
    """A named pipe in the folder, and what a writer sends into it once the program opens it."""
    drain: str | None = None
    """A named pipe the program writes to: a reader empties it."""
    user: int | None = None
    """Run as this unprivileged user (else the case needs a read-only mount, or is skipped)."""
    read_only: tuple[str, ...] = ()
    """Files and folders to make read-only: by permissions for the unprivileged user, or by
    a read-only bind mount when the interpreter cannot be run as that user."""
    fsize: int | None = None
    """A limit on the size of any file the program writes (a full disk)."""
    timeout: float = 30
    check: Callable[[Path, subprocess.CompletedProcess[bytes]], str | None] | None = None
    pty: Callable[[Path, list[str]], tuple[int, bytes]] | None = None


# --- Files ------------------------------------------------------------------------------------


def mini_text() -> str:
    return MINI_ANSWERS.read_text(encoding="utf-8")


def answers_with(old: str, new: str) -> bytes:
    text = mini_text()
    assert old in text, old
    return text.replace(old, new, 1).encode("utf-8")


def participant(name: str, freeze: int = 2) -> bytes:
    text = mini_text().replace("participants: [Ana]", f"participants: [{yaml_text(name)}]")
    return text.replace("freeze: 2", f"freeze: {freeze}").encode()


def base_files() -> dict[str, bytes]:
    files = {"ok.yaml": MINI_ANSWERS.read_bytes()}
    files["ana.yaml"] = participant("Ana", 2)
    files["ben.yaml"] = participant("Ben", 12)
    for name in ("bank.yaml", "rules.yaml"):
        files[f"bank/{name}"] = (MINI_BANK / name).read_bytes()
    return files


LAUGHS = b'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + b"".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n".encode()
    for i in range(9)
)

CONTENTS: dict[str, bytes] = {
    "empty": b"",
    "blank": b"   \n\n\t\n",
    "comment only": b"# nothing here\n",
    "null": b"null\n",
    "a list": b"[1, 2, 3]\n",
    "a word": b"hello\n",
    "random bytes": random.Random(11).randbytes(4096),
    "latin-1": "title: t\xedtulo \xf1\n".encode("latin-1"),
    "utf-16": "kind: rewrite-advisor/answers\n".encode("utf-16"),
    "nul byte": b"kind: rewrite-advisor/answers\x00\n",
    "5 MB line": b"title: " + b"a" * (5 * MB) + b"\n",
    "11 MB": b"#" * (11 * MB),
    "nested lists": b"[" * 20000 + b"]" * 20000,
    "nested maps": b"{a: " * 20000 + b"1" + b"}" * 20000,
    "billion laughs": LAUGHS,
    "duplicate keys": b"kind: rewrite-advisor/answers\nkind: rewrite-advisor/answers\n",
    "python tag": b"!!python/object/apply:os.system ['touch pwned']\n",
    "tab indent": b"kind: rewrite-advisor/answers\nanswers:\n\tmotive: customer\n",
    "unclosed quote": b'title: "abc\n',
    "json trailing comma": b'{"kind": "rewrite-advisor/answers",}',
    "two documents": b"a: 1\n---\nb: 2\n",
    "5000 digits": answers_with("freeze: 2", "freeze: " + "9" * 5000),
    "400 digits": answers_with("freeze: 2", "freeze: " + "9" * 400),
    "quoted 5000 digits": answers_with("freeze: 2", 'freeze: "' + "9" * 5000 + '"'),
    "-5000 digits": answers_with("freeze: 2", "freeze: -" + "9" * 5000),
    "1.0e400": answers_with("freeze: 2", "freeze: 1.0e400"),
    "huge hex": answers_with("freeze: 2", "freeze: 0x" + "f" * 5000),
    ".inf": answers_with("freeze: 2", "freeze: .inf"),
    ".nan": answers_with("freeze: 2", "freeze: .nan"),
    "huge text number": answers_with('value: "A letter to every customer"', "value: " + "7" * 5000),
    "unquoted date": answers_with('date: "2026-11-20"', "date: 2026-11-20"),
    "date as a number": answers_with('go_live: "2027-03-01"', "go_live: 20270301"),
    "CRLF": mini_text().replace("\n", "\r\n").encode(),
    "BOM": b"\xef\xbb\xbf" + MINI_ANSWERS.read_bytes(),
    "100k-character key": answers_with("  freeze: 2", "  " + "k" * 100_000 + ": 2"),
    "20k unknown keys": answers_with(
        "  freeze: 2", "\n".join(f"  unknown_{i}: 1" for i in range(20_000))
    ),
    "1 MB note": answers_with("confidence: guess}", "confidence: guess, note: " + "n" * MB + "}"),
    "other kind": answers_with("kind: rewrite-advisor/answers", "kind: rewrite-advisor/memo"),
    "other bank": answers_with("id: mini", "id: maxi"),
    "ESC in title": answers_with("title: Mini rewrite", f"title: {yaml_text(ESC)}"),
    "ESC in a question id": answers_with("  freeze: 2", '  "\\e]0;PWNED\\a": 2'),
    "ESC in a choice": answers_with("motive: customer", 'motive: "\\e[2J\\e]0;PWNED\\a"'),
    "C1 and bidi in a note": answers_with(
        "confidence: guess}", 'confidence: guess, note: "\\x9b31m \\u202e evil \\r over"}'
    ),
    "ESC in the bank id": answers_with("id: mini", 'id: "\\e[31mmini"'),
    "the valid file": MINI_ANSWERS.read_bytes(),
}

BANK_CONTENTS: dict[str, tuple[str, bytes]] = {
    "min of 5000 digits": (
        "bank.yaml",
        (MINI_BANK / "bank.yaml").read_bytes().replace(b"min: 0", b"min: " + b"1" * 5000, 1),
    ),
    "max of 400 digits": (
        "bank.yaml",
        (MINI_BANK / "bank.yaml").read_bytes().replace(b"max: 60", b"max: " + b"9" * 400, 1),
    ),
    "rule on a huge number": (
        "rules.yaml",
        (MINI_BANK / "rules.yaml").read_bytes().replace(b"gt: 6", b"gt: " + b"9" * 5000, 1),
    ),
    "when on itself": (
        "bank.yaml",
        (MINI_BANK / "bank.yaml")
        .read_bytes()
        .replace(b"when: {question: shares_data", b"when: {question: sync_cost", 1),
    ),
    "ESC in a question text": (
        "bank.yaml",
        (MINI_BANK / "bank.yaml")
        .read_bytes()
        .replace(b"text: What is the main motive?", b'text: "\\e]0;PWNED\\a motive?"', 1),
    ),
    "ESC in a choice label": (
        "bank.yaml",
        (MINI_BANK / "bank.yaml")
        .read_bytes()
        .replace(b"label: A customer problem", b'label: "\\e[31mcustomer"', 1),
    ),
    "ESC in an unknown question of a when": (
        "bank.yaml",
        (MINI_BANK / "bank.yaml")
        .read_bytes()
        .replace(b"when: {question: shares_data", b'when: {question: "\\e[31mx"', 1),
    ),
    "ESC in a rule's section": (
        "rules.yaml",
        (MINI_BANK / "rules.yaml").read_bytes().replace(b"section: why", b'section: "\\e[2J"', 1),
    ),
}


def chain_bank(size: int) -> dict[str, bytes]:
    lines = ["id: big", 'version: "1.0"', "title: Big", "sections:", "  - id: s", "    title: S"]
    lines += ["    intro: I.", "    questions:"]
    for i in range(size):
        lines += [f"      - {{id: q{i}, type: yesno, text: Q{i}?, help: H."]
        lines[-1] += f", when: {{question: q{i - 1}, equals: true}}}}" if i else "}"
    rules = (MINI_BANK / "rules.yaml").read_text().split("rules:\n")[0]
    rules += "rules:\n  - {id: r, section: s, severity: low, title: T, why: W, action: A,\n"
    rules += "     when: {question: q0, equals: false}}\n"
    answers = ["kind: rewrite-advisor/answers", "bank: {id: big, version: '1.0'}", "answers:"]
    answers += [f"  q{i}: true" for i in range(size)]
    return {
        "big/bank.yaml": "\n".join(lines).encode() + b"\n",
        "big/rules.yaml": rules.encode(),
        "big.yaml": "\n".join(answers).encode() + b"\n",
    }


# --- Special files ----------------------------------------------------------------------------


def fifo(name: str) -> Callable[[Path], None]:
    return lambda d: os.mkfifo(d / name)


def link(name: str, target: str) -> Callable[[Path], None]:
    return lambda d: os.symlink(target, d / name)


def unix_socket(name: str) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(d / name))
        server.close()

    return make


def unreadable(name: str, content: bytes) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        (d / name).write_bytes(content)
        (d / name).chmod(0)

    return make


def read_only_folder(name: str) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        (d / name).mkdir()
        (d / name).chmod(0o555)

    return make


def together(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        for step in steps:
            step(d)

    return make


SPECIAL_INPUTS: dict[str, tuple[str, Callable[[Path], None] | None, tuple[str, bytes] | None]] = {
    # name: (path given, setup, what a writer sends into a FIFO)
    "missing file": ("missing.yaml", None, None),
    "wildcard that matched nothing": ("nothing*.yaml", None, None),
    "a folder": ("folder", lambda d: (d / "folder").mkdir(), None),
    "/dev/zero": ("/dev/zero", None, None),
    "/dev/urandom": ("/dev/urandom", None, None),
    "/dev/null": ("/dev/null", None, None),
    "/dev/full": ("/dev/full", None, None),
    "link to /dev/zero": ("zero.yaml", link("zero.yaml", "/dev/zero"), None),
    "pdf link to /dev/zero": ("zero.pdf", link("zero.pdf", "/dev/zero"), None),
    "dangling link": ("dangling.yaml", link("dangling.yaml", "nowhere.yaml"), None),
    "link loop": (
        "loop.yaml",
        together(link("loop.yaml", "loop2.yaml"), link("loop2.yaml", "loop.yaml")),
        None,
    ),
    "FIFO with answers": ("pipe.yaml", fifo("pipe.yaml"), ("pipe.yaml", MINI_ANSWERS.read_bytes())),
    "FIFO with 20 MB": ("pipe.yaml", fifo("pipe.yaml"), ("pipe.yaml", b"#" * (20 * MB))),
    "socket": ("sock.yaml", unix_socket("sock.yaml"), None),
    "sparse 60 MB pdf": ("big.pdf", lambda d: os.truncate(_touch(d / "big.pdf"), 60 * MB), None),
    "name with ESC": (f"{ESC}.yaml", None, None),
    "name with a newline": ("two\nlines.yaml", None, None),
    "300-byte name": ("n" * 300 + ".yaml", None, None),
}


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


# --- PDFs -------------------------------------------------------------------------------------


def pdf_files(valid: bytes) -> dict[str, bytes]:
    """Malformed and hostile PDFs, made with pypdf from nothing or from a valid memo."""
    import io
    import logging

    from pypdf import PdfReader, PdfWriter

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    def written(writer: PdfWriter) -> bytes:
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    def with_attachments(*files: tuple[str, bytes]) -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(200, 200)
        for name, data in files:
            writer.add_attachment(name, data)
        return written(writer)

    def edited(change: Callable[[PdfWriter], None]) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(valid)))
        change(writer)
        return written(writer)

    def embedded_streams(writer: PdfWriter) -> list[DictionaryObject]:
        names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
        return [names[i + 1].get_object() for i in range(0, len(names), 2)]

    def unknown_filter(writer: PdfWriter) -> None:
        for spec in embedded_streams(writer):
            spec["/EF"]["/F"].get_object()[NameObject("/Filter")] = NameObject("/NoSuchDecode")

    def ef_not_a_stream(writer: PdfWriter) -> None:
        for spec in embedded_streams(writer):
            spec["/EF"][NameObject("/F")] = NumberObject(7)

    def ef_missing(writer: PdfWriter) -> None:
        for spec in embedded_streams(writer):
            del spec["/EF"]

    def names_not_a_list(writer: PdfWriter) -> None:
        writer.root_object["/Names"]["/EmbeddedFiles"][NameObject("/Names")] = NumberObject(1)

    def kids_cycle(writer: PdfWriter) -> None:
        tree = writer.root_object["/Names"]["/EmbeddedFiles"]
        tree[NameObject("/Kids")] = ArrayObject([tree.indirect_reference or tree])

    def encrypted(writer: PdfWriter) -> None:
        writer.encrypt("secret")

    nested = (
        b"%PDF-1.7\n1 0 obj\n"
        + b"[" * 50_000
        + b"]" * 50_000
        + b"\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return {
        "valid memo": valid,
        "truncated": valid[: len(valid) // 2],
        "header only": b"%PDF-1.7\n",
        "garbage after the header": b"%PDF-1.7\n" + random.Random(5).randbytes(20_000),
        "not a PDF": b"kind: rewrite-advisor/answers\n",
        "no attachment": with_attachments(),
        "two attachments": with_attachments(
            ("a.yaml", MINI_ANSWERS.read_bytes()), ("b.yaml", b"x: 1\n")
        ),
        "attachment not YAML": with_attachments(("a.yaml", random.Random(3).randbytes(2000))),
        "attachment with 5000 digits": with_attachments(
            ("a.yaml", answers_with("freeze: 2", "freeze: " + "9" * 5000))
        ),
        "attachment of 11 MB": with_attachments(("a.yaml", b"#" * (11 * MB))),
        "attachment named with ESC": with_attachments(
            (f"{ESC}.yaml", b"x: 1\n"), (f"{ESC}2.yaml", b"y: 2\n")
        ),
        "attachment with ESC title": with_attachments(("a.yaml", CONTENTS["ESC in title"])),
        "unknown filter": edited(unknown_filter),
        "EF F not a stream": edited(ef_not_a_stream),
        "EF missing": edited(ef_missing),
        "Names not a list": edited(names_not_a_list),
        "name tree cycle": edited(kids_cycle),
        "encrypted": edited(encrypted),
        "nested 50000 deep": nested,
    }


# --- Judging ----------------------------------------------------------------------------------


def snapshot(path: Path) -> tuple[object, ...] | None:
    try:
        info = path.lstat()
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return ("link", os.readlink(path))
    if stat.S_ISREG(info.st_mode):
        return ("file", hashlib.sha256(path.read_bytes()).hexdigest(), stat.S_IMODE(info.st_mode))
    if stat.S_ISDIR(info.st_mode):
        return ("dir", stat.S_IMODE(info.st_mode))
    return ("special", stat.S_IFMT(info.st_mode), info.st_rdev)


def tree(folder: Path) -> dict[str, tuple[object, ...] | None]:
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.parent.name == "__pycache__" or ".cache" in path.parts:
            continue
        found[str(path.relative_to(folder))] = snapshot(path)
    return found


@dataclass
class Outcome:
    case: Case
    code: int | None
    out: bytes
    err: bytes
    problems: list[str]
    seconds: float
    skipped: bool = False


def judge(
    case: Case,
    folder: Path,
    before: dict[str, object],
    outside: dict[str, object],
    code: int | None,
    out: bytes,
    err: bytes,
) -> list[str]:
    problems = []
    text = err.decode("utf-8", "replace")
    if code is None:
        return ["hang"]
    if "Traceback (most recent call last)" in text or code == 1 or code < 0:
        problems.append(f"traceback (exit {code})")
    if code not in case.codes and code != 1:
        problems.append(f"contract: exit {code}, expected {case.codes}")
    if code == 2 and case.pty is None:
        lines = text.splitlines()
        if len(lines) != 1 or not lines[0].startswith("error: "):
            problems.append(f"contract: exit 2 with {len(lines)} stderr lines")
    if case.pty is None:
        shown = out.decode("utf-8", "replace") + text
        if CONTROL.search(shown):
            problems.append(f"injection: {CONTROL.search(shown).group()!r} reached the terminal")
    else:
        for payload in (b"\x1b]0;PWNED", b"\x1b[31mRED", b"\x1b[2J\x1b]0"):
            if payload in out:
                problems.append(f"injection: {payload!r} reached the terminal")
    after = tree(folder)
    allowed = set(case.outputs)
    for name, was in before.items():
        if name in allowed or any(name.startswith(o + "/") for o in allowed):
            continue
        if after.get(name) != was:
            problems.append(f"damage: {name[:60]!r} changed or went")
    for name in after:
        if name not in before and Path(name).name.endswith(".tmp"):
            problems.append(f"lost: temporary file {name[:60]!r} left behind")
    for path, was in outside.items():
        if snapshot(Path(path)) != was:
            problems.append(f"damage: {path} changed")
    return problems


def feed_fifo(path: Path, data: bytes, stop: threading.Event) -> None:
    """Write into a FIFO once a reader opens it; give up when the program has ended."""
    while not stop.is_set():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:
            if exc.errno in (errno.ENXIO, errno.ENOENT):
                time.sleep(0.02)
                continue
            return
        os.set_blocking(fd, True)
        with contextlib.suppress(OSError):
            view = memoryview(data)
            while view and not stop.is_set():
                view = view[os.write(fd, view[: 64 * 1024]) :]
        os.close(fd)
        return


def drain_fifo(path: Path, got: list[bytes]) -> None:
    with contextlib.suppress(OSError), path.open("rb") as handle:
        got.append(handle.read())


def environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env["XDG_CACHE_HOME"] = str(folder / ".cache")
    env["PYTHONPATH"] = str(ROOT)
    env["HOME"] = str(folder)
    return env


def run_case(case: Case, root: Path, index: int) -> Outcome:
    folder = root / f"case{index:04d}"
    folder.mkdir()
    for name, data in {**base_files(), **case.files}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    if case.setup:
        case.setup(folder)
    privilege = None
    if case.user is not None or case.read_only:
        if can_drop():
            privilege = "drop"
        elif case.read_only and can_mount():
            privilege = "mount"
        else:
            shutil.rmtree(folder, ignore_errors=True)
            return Outcome(case, None, b"", b"", [], 0.0, skipped=True)
    mounted = []
    if privilege == "drop":
        for path in [folder, *folder.rglob("*")]:
            with contextlib.suppress(OSError):
                if not path.is_symlink():
                    os.chown(path, NOBODY, NOBODY)
        for name in case.read_only:
            (folder / name).chmod(0o555 if (folder / name).is_dir() else 0o444)
    elif privilege == "mount":
        for name in case.read_only:
            target = str(folder / name)
            subprocess.run(["mount", "--bind", target, target], check=True)
            mounted.append(target)
            subprocess.run(["mount", "-o", "remount,ro,bind", target], check=True)
    before: dict[str, object] = dict(tree(folder))
    outside: dict[str, object] = {path: snapshot(Path(path)) for path in case.protect}
    command = [sys.executable, "-m", "rewrite_advisor", *case.args]
    if privilege == "drop" and case.pty is not None:
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    start = time.perf_counter()
    if case.pty is not None:
        code, out = case.pty(folder, command)
        err = b""
    else:
        stop = threading.Event()
        helpers = []
        if case.feed:
            helpers.append(
                threading.Thread(
                    target=feed_fifo, args=(folder / case.feed[0], case.feed[1], stop), daemon=True
                )
            )
        drained: list[bytes] = []
        if case.drain:
            helpers.append(
                threading.Thread(
                    target=drain_fifo, args=(folder / case.drain, drained), daemon=True
                )
            )
        for helper in helpers:
            helper.start()

        def limits() -> None:
            if case.fsize is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (case.fsize, case.fsize))
            if privilege == "drop":
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)

        process = subprocess.Popen(
            command,
            cwd=folder,
            env=environment(folder),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=limits if (case.fsize or privilege == "drop") else None,
        )
        try:
            out, err = process.communicate(timeout=case.timeout)
            code: int | None = process.returncode
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            code = None
        stop.set()
        if case.drain:  # a reader still waiting: let it go
            with contextlib.suppress(OSError):
                os.close(os.open(folder / case.drain, os.O_WRONLY | os.O_NONBLOCK))
    seconds = time.perf_counter() - start
    problems = judge(case, folder, before, outside, code, out, err)
    if not problems and case.check is not None:
        result = subprocess.CompletedProcess(command, code or 0, out, err)
        found = case.check(folder, result)
        if found:
            problems.append(found)
    for target in mounted:
        subprocess.run(["umount", target], check=False)
    shutil.rmtree(folder, ignore_errors=True)
    return Outcome(case, code, out, err, problems, seconds)


@functools.cache
def can_drop() -> bool:
    """Whether this interpreter runs as the unprivileged user (it may live in /root)."""
    if os.geteuid() != 0:
        return False

    def drop() -> None:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)

    try:
        done = subprocess.run(
            [sys.executable, "-c", "import rewrite_advisor"],
            preexec_fn=drop,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd="/",
        )
    except OSError:
        return False
    return done.returncode == 0


@functools.cache
def can_mount() -> bool:
    """Whether a folder can be made read-only with a bind mount here (root, a capable kernel)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        made = subprocess.run(["mount", "--bind", tmp, tmp], capture_output=True)
        if made.returncode != 0:
            return False
        ro = subprocess.run(["mount", "-o", "remount,ro,bind", tmp, tmp], capture_output=True)
        subprocess.run(["umount", tmp], capture_output=True)
        return ro.returncode == 0


# --- The cases --------------------------------------------------------------------------------

READERS: dict[str, list[str]] = {
    # where a command reads an answers file; {F} is the file
    "report": ["report", "{F}", "--bank", "bank", "-o", "out.md"],
    "report json to stdout": ["report", "{F}", "--bank", "bank", "-o", "-", "--format", "json"],
    "team report": ["report", "ana.yaml", "{F}", "--bank", "bank", "-o", "team.html"],
    "workshop": ["workshop", "ana.yaml", "{F}", "--bank", "bank", "-o", "team.yaml"],
    "record add": ["record", "add", "{F}", "--bank", "bank", "--dir", "decisions", "--no-pdf"],
    "diff old": ["diff", "{F}", "ok.yaml", "--bank", "bank"],
    "diff new": ["diff", "ok.yaml", "{F}", "--bank", "bank", "--format", "md"],
    "form --from": ["form", "--from", "{F}", "--bank", "bank", "-o", "form.html"],
}
OUTPUTS = ("out.md", "team.html", "team.yaml", "decisions", "form.html")

BANK_READERS: dict[str, list[str]] = {
    "check": ["check", "hbank"],
    "questions": ["questions", "--bank", "hbank"],
    "report with the bank": ["report", "ok.yaml", "--bank", "hbank", "-o", "-"],
    "schema answers": ["schema", "answers", "--bank", "hbank"],
}


def _category(content: str) -> str:
    if "ESC" in content or "bidi" in content:
        return "escape sequences"
    numbers = ("1.0e400", "huge hex", ".inf", ".nan")
    return "huge numbers" if "digit" in content or content in numbers else "bad files"


def _with(which: str, data: bytes) -> dict[str, bytes]:
    """The mini bank in 'hbank/', with one of its files replaced by ``data``."""
    files = {f"hbank/{n}": (MINI_BANK / n).read_bytes() for n in ("bank.yaml", "rules.yaml")}
    return {**files, f"hbank/{which}": data}


BAD_BANK_FILES = ("empty", "random bytes", "nested maps", "billion laughs", "11 MB")
BAD_BANK_FILES += ("python tag", "duplicate keys", "5000 digits")


def reader_cases() -> list[Case]:
    """Every bad content in every place a command reads an answers file, a bank or rules."""
    answers = [
        Case(
            _category(content),
            f"{place}: {content}",
            [a.replace("{F}", "input.yaml") for a in args],
            files={"input.yaml": data},
            outputs=OUTPUTS,
            timeout=60,
        )
        for content, data in CONTENTS.items()
        for place, args in READERS.items()
    ]
    banks = [
        Case(
            "escape sequences" if "ESC" in content else "bad banks",
            f"{place}: {content}",
            args,
            files=_with(which, data),
        )
        for content, (which, data) in BANK_CONTENTS.items()
        for place, args in BANK_READERS.items()
    ]
    banks += [
        Case(
            "bad banks",
            f"{place}: {which} is {content}",
            BANK_READERS[place],
            files=_with(which, CONTENTS[content]),
        )
        for content in BAD_BANK_FILES
        for which in ("bank.yaml", "rules.yaml")
        for place in ("check", "questions")
    ]
    return answers + banks


def special_cases() -> list[Case]:
    """Each special file given as an answers file to every reader, and as a bank."""
    cases = []
    for special, (given, setup, feed) in SPECIAL_INPUTS.items():
        more = {"setup": setup, "feed": feed, "protect": (given,) if given[:5] == "/dev/" else ()}
        codes = (0, 2) if feed and len(feed[1]) < MB else (2,)
        cases += [
            Case(
                "special files",
                f"{place}: {special}",
                [a.replace("{F}", given) for a in args],
                codes,
                outputs=OUTPUTS,
                **more,
            )
            for place, args in READERS.items()
        ]
        cases.append(
            Case("special files", f"check: {special} as the bank", ["check", given], (2,), **more)
        )
    unreadable_bank = lambda d: (d / "bank" / "rules.yaml").chmod(0)  # noqa: E731
    return [
        *cases,
        Case(
            "special files",
            "report: unreadable file",
            ["report", "secret.yaml", "--bank", "bank"],
            (2,),
            setup=unreadable("secret.yaml", MINI_ANSWERS.read_bytes()),
            user=NOBODY,
        ),
        Case(
            "special files",
            "check: unreadable bank",
            ["check", "bank"],
            (2,),
            setup=unreadable_bank,
            user=NOBODY,
        ),
    ]


def same_target(target: str) -> Callable[[Path, subprocess.CompletedProcess[bytes]], str | None]:
    """Check that a link is still a link and its target holds the output."""

    def check(folder: Path, done: subprocess.CompletedProcess[bytes]) -> str | None:
        if done.returncode != 0:
            return f"expected the output to be written: {done.stderr.decode()[:200]}"
        links = [p for p in folder.iterdir() if p.name.startswith("link.")]
        if not links or not all(p.is_symlink() for p in links):
            return "damage: the link was replaced by a file"
        if target.endswith(".md") and b"Mini rewrite" not in (folder / target).read_bytes()[:2000]:
            return "damage: the link's target was not written"
        return None

    return check


def old_file(name: str, text: str = "old") -> Callable[[Path], None]:
    def make(d: Path) -> None:
        (d / name).parent.mkdir(exist_ok=True)
        (d / name).write_text(text)

    return make


def hard_link(name: str, target: str) -> Callable[[Path], None]:
    return lambda d: os.link(d / target, d / name)


def via_link(target: str, dangling: bool = False) -> dict[str, Any]:
    """Case options: ``link.*`` points to ``target`` (an old file, or none), which is written."""
    made = link("link" + Path(target).suffix, target)
    setup = made if dangling else together(old_file(target), made)
    return {"setup": setup, "outputs": (target,), "check": same_target(target)}


def points(name: str, target: str) -> dict[str, Any]:
    return {"setup": link(name, target)}


def ro(name: str, folder: bool = True) -> dict[str, Any]:
    """A case option: ``name`` (a folder, or an old file) read-only, as an unprivileged user."""
    setup = read_only_folder(name) if folder else old_file(name, "keep")
    return {"setup": setup, "user": NOBODY, "read_only": (name,)}


def device(path: str) -> dict[str, Any]:
    return {"protect": (path,)}


FULL_DISK: dict[str, Any] = {"files": {"old.out": b"the old output\n"}, "fsize": 1024}
RO_FOLDER: dict[str, Any] = {"setup": read_only_folder("ro")}
points_back = link("2", "loop.md")

# -o targets: (what, target, exit codes allowed, more of the case). Run for each text format.
# fmt: off
TEXT_TARGETS: list[tuple[str, str, tuple[int, ...], dict[str, Any]]] = [
    ("the input", "ok.yaml", (2,), {}),
    ("a link to the input", "l.yaml", (2,), {"setup": link("l.yaml", "ok.yaml")}),
    ("a hard link to the input", "h.yaml", (2,), {"setup": hard_link("h.yaml", "ok.yaml")}),
    ("the input by ../", "../CASE/ok.yaml", (2,), {}),
    ("the bank", "bank/bank.yaml", (2,), {}),
    ("/dev/null", "/dev/null", (0,), device("/dev/null")),
    ("/dev/full", "/dev/full", (2,), device("/dev/full")),
    ("a FIFO with a reader", "fifo", (0,), {"setup": fifo("fifo"), "drain": "fifo"}),
    ("a link to a file", "link.md", (0,), via_link("memo.md")),
    ("a link into a folder", "link.md", (0,), via_link("sub/memo.md")),
    ("a dangling link", "link.md", (0,), via_link("made.md", dangling=True)),
    ("a link loop", "loop.md", (2,), {"setup": together(link("loop.md", "2"), points_back)}),
    ("a folder", "bank", (2,), {}),
    ("a missing folder", "missing/out.md", (2,), {}),
    ("a socket", "sock", (2,), {"setup": unix_socket("sock")}),
    ("a read-only file", "ro.md", (2,), ro("ro.md", folder=False)),
    ("in a read-only folder", "ro/out.md", (2,), ro("ro")),
    ("on a full disk", "old.out", (2,), {**FULL_DISK, "fsize": 256}),
    ("a name with ESC", f"{ESC}.md", (0, 2), {"outputs": (f"{ESC}.md",)}),
    ("a 300-byte name", "n" * 300 + ".md", (2,), {}),
    ("an existing file", "old.md", (0,), {"files": {"old.md": b"old\n"}, "outputs": ("old.md",)}),
]
# fmt: on

# Other commands' outputs: (command, what, target, exit codes allowed, more of the case).
REPORT = ["report", "ok.yaml", "--bank", "bank"]
PDF, SLOW = [*REPORT, "--format", "pdf", "-o"], {"timeout": 120.0}
TEAM = ["report", "ana.yaml", "ben.yaml", "--bank", "bank", "--format", "md", "-o"]
WORKSHOP = ["workshop", "ana.yaml", "ben.yaml", "--bank", "bank", "-o"]
FORM = ["form", "--bank", "bank", "--from", "ok.yaml", "-o"]
RECORD = ["record", "add", "ok.yaml", "--bank", "bank", "--no-pdf", "--dir"]
# fmt: off
OTHER_TARGETS: list[tuple[list[str], str, str, tuple[int, ...], dict[str, Any]]] = [
    (PDF, "pdf -o /dev/null", "/dev/null", (0,), {**device("/dev/null"), **SLOW}),
    (PDF, "pdf -o the input", "ok.yaml", (2,), {}),
    (PDF, "pdf -o on a full disk", "old.out", (2,), {**FULL_DISK, "fsize": 4096, **SLOW}),
    (PDF, "pdf -o a link to a file", "link.pdf", (0,), {**via_link("memo.pdf"), **SLOW}),
    (TEAM, "team -o a participant", "ben.yaml", (2,), {}),
    (TEAM, "team -o a link to a participant", "l.yaml", (2,), points("l.yaml", "ana.yaml")),
    (WORKSHOP, "workshop -o a participant", "ana.yaml", (2,), {}),
    (WORKSHOP, "workshop -o a link to a participant", "l.yaml", (2,), points("l.yaml", "ben.yaml")),
    (WORKSHOP, "workshop -o an answers file", "ok.yaml", (2,), {}),
    (WORKSHOP, "workshop -o a folder", "bank", (2,), {}),
    (WORKSHOP, "workshop -o the bank", "bank/rules.yaml", (2,), {}),
    (WORKSHOP, "workshop -o /dev/null", "/dev/null", (2,), device("/dev/null")),
    (WORKSHOP, "workshop -o a FIFO", "fifo", (2,), {"setup": fifo("fifo")}),
    (WORKSHOP, "workshop -o in a read-only folder", "ro/team.yaml", (2,), RO_FOLDER),
    (FORM, "form -o /dev/null", "/dev/null", (0,), device("/dev/null")),
    (FORM, "form -o the input", "ok.yaml", (2,), {}),
    (FORM, "form -o a link to a page", "link.html", (0,), via_link("page.html")),
    (FORM, "form -o a FIFO", "f.html", (0, 2), {"setup": fifo("f.html"), "drain": "f.html"}),
    (FORM, "form -o in a read-only folder", "ro/form.html", (2,), ro("ro")),
    (FORM, "form -o on a full disk", "old.out", (2,), FULL_DISK),
    (RECORD, "record add into a read-only folder", "ro", (2,), ro("ro")),
    (RECORD, "record add on a full disk", "d", (2,), {"fsize": 1024, "outputs": ("d",)}),
    (RECORD, "record add --dir a file", "ok.yaml", (2,), {}),
    (RECORD, "record add --dir /dev/null", "/dev/null", (2,), device("/dev/null")),
]
# fmt: on


def output_cases() -> list[Case]:
    cases = [
        Case("outputs", f"{fmt} -o {what}", [*REPORT, "--format", fmt, "-o", target], codes, **more)
        for fmt in ("md", "json", "html")
        for what, target, codes, more in TEXT_TARGETS
    ]
    cases += [
        Case("outputs", name, [*command, target], codes, **more)
        for command, name, target, codes, more in OTHER_TARGETS
    ]
    for case in cases:
        if "../CASE" in " ".join(case.args):
            case.setup = _with_case_name(case)
    return cases


def _with_case_name(case: Case) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        case.args = [a.replace("CASE", folder.name) for a in case.args]

    return setup


def pdf_cases(valid: bytes) -> list[Case]:
    cases = []
    for name, data in pdf_files(valid).items():
        for place in ("report", "record add", "diff new", "team report"):
            args = [a.replace("{F}", "input.pdf") for a in READERS[place]]
            category = "escape sequences" if "ESC" in name else "malformed PDFs"
            cases.append(
                Case(
                    category,
                    f"{place}: PDF {name}",
                    args,
                    files={"input.pdf": data},
                    outputs=OUTPUTS,
                    timeout=60,
                )
            )
        cases.append(
            Case(
                "malformed PDFs",
                f"report: PDF {name} named .yaml",
                [a.replace("{F}", "input.yaml") for a in READERS["report"]],
                files={"input.yaml": data},
                outputs=OUTPUTS,
                timeout=60,
            )
        )
    return cases


def recorded(answers: str, *extra: str) -> Callable[[Path], None]:
    """Set up a records folder 'd' with one record of ``answers``, made by the program."""

    def make(folder: Path) -> None:
        add = ["record", "add", answers, "--bank", "bank", "--dir", "d", "--no-pdf", *extra]
        program(folder, add)

    return make


def program(folder: Path, args: list[str]) -> None:
    """Run the program in the case's folder to set it up."""
    command = [sys.executable, "-m", "rewrite_advisor", *args]
    env = environment(folder)
    subprocess.run(command, cwd=folder, env=env, capture_output=True, check=True)


TITLE = CONTENTS["ESC in title"]
NOTE = CONTENTS["C1 and bidi in a note"]
EVE, BOB = participant(f"{ESC}Eve"), participant("Bob\u202eevil", 24)
TEAM_FILES: dict[str, Any] = {"files": {"eve.yaml": EVE, "bob.yaml": BOB}}
DIFFED = {"files": {"input.yaml": NOTE.replace(b"title: Mini rewrite", b'title: "\\e]0;PWNED\\a"')}}
INTO_D: dict[str, Any] = {"outputs": ("d",)}
REC = {"files": {"input.yaml": TITLE}, "setup": recorded("input.yaml"), **INTO_D}
REC_TITLE = {"setup": recorded("ok.yaml", "--title", ESC), **INTO_D}
ADD = ["record", "add", "ok.yaml", "--bank", "bank", "--dir", "d", "--no-pdf"]
ADD_IN = ["record", "add", "input.yaml", *ADD[3:]]
TWO = ["eve.yaml", "bob.yaml", "--bank", "bank"]
RECORD_READERS = [["record", "list"], ["record", "list", "--format", "json"], ["record", "verify"]]
REPORT_IN = ["report", "input.yaml", "--bank", "bank"]
TEAM_IN = ["report", *TWO]
DIFF_IN = ["diff", "ok.yaml", "input.yaml", "--bank", "bank"]

# Escape sequences from files and arguments: (name, args, exit codes, more of the case). The
# first rows are families: each report format, each record command, each way in.
INJECTIONS: list[tuple[str, list[str], tuple[int, ...], dict[str, Any]]] = [
    *[
        (f"report {fmt} to stdout: {what}", [*REPORT_IN, "--format", fmt], (0,), {"files": data})
        for fmt in ("md", "json", "html")
        for what, data in (("title", {"input.yaml": TITLE}), ("note", {"input.yaml": NOTE}))
    ],
    *[
        (f"team report {fmt} to stdout: names", [*TEAM_IN, "--format", fmt], (0,), TEAM_FILES)
        for fmt in ("md", "json", "html")
    ],
    *[
        (f"diff {fmt}: title and note", [*DIFF_IN, "--format", fmt], (0,), DIFFED)
        for fmt in ("text", "md", "json")
    ],
    *[
        (f"{' '.join(command)}: ESC in the {how}", [*command, "--dir", "d"], (0,), setup)
        for command in RECORD_READERS
        for how, setup in (("title", REC), ("--title", REC_TITLE))
    ],
    ("record add: ESC title", [*ADD_IN], (0, 2), {"files": {"input.yaml": TITLE}, **INTO_D}),
    ("record add --title with ESC", [*ADD, "--title", ESC], (0, 2), INTO_D),
    ("missing file named with ESC", ["report", f"{ESC}.yaml"], (2,), {}),
    ("--format with ESC", ["report", "ok.yaml", "--format", ESC], (2,), {}),
    ("an unknown command with ESC", [ESC], (2,), {}),
    ("--bank named with ESC", ["check", ESC], (2,), {}),
    (
        "workshop: names with ESC",
        ["workshop", *TWO],
        (2,),
        {**TEAM_FILES, "outputs": ("team.yaml",)},
    ),
    ("record status with ESC", ["record", "status", ESC, "accepted"], (2,), {}),
]


def injection_cases() -> list[Case]:
    return [
        Case("escape sequences", name, args, codes, **more)
        for name, args, codes, more in INJECTIONS
    ]


# --- Files others may have written: journals, records, caches ---------------------------------


def journal(**content: object) -> Callable[[Path], None]:
    """Set up record 0001 in 'd', then plant a records journal with ``content``."""

    def make(folder: Path) -> None:
        recorded("ok.yaml")(folder)
        data = {"kind": "rewrite-advisor/journal", "format": 1, **content}
        (folder / "d" / ".rewrite-advisor-journal.json").write_text(json.dumps(data))

    return make


def superseded_by(digits: int) -> Callable[[Path], None]:
    """Set up record 0001 in 'd' whose Markdown says it is superseded by a huge number."""

    def make(folder: Path) -> None:
        recorded("ok.yaml")(folder)
        (markdown,) = (folder / "d").glob("0001-*.md")
        status = f"status: superseded by [{'9' * digits}](0002-x.md)"
        markdown.write_text(markdown.read_text().replace("status: proposed", status, 1))

    return make


def cached_templates(plant: Callable[[Path], None]) -> Callable[[Path], None]:
    """Fill the case's template cache with one run, then change every entry with ``plant``."""

    def make(folder: Path) -> None:
        program(folder, ["report", "ok.yaml", "--bank", "bank", "-o", "first.md"])
        (folder / "first.md").unlink()
        for entry in (folder / ".cache" / "rewrite-advisor" / "templates").glob("__jinja2_*"):
            plant(entry)

    return make


def as_fifo(entry: Path) -> None:
    entry.unlink()
    os.mkfifo(entry)


def as_pickle_of_another_user(entry: Path) -> None:
    """An entry that creates the file 'ran' when unpickled, owned by another user."""
    from jinja2.bccache import bc_magic

    payload = b"cbuiltins\nopen\n(Vran\nVw\ntR."  # pickle protocol 0: open("ran", "w")
    entry.write_bytes(bc_magic + payload)
    with contextlib.suppress(PermissionError):
        os.chown(entry, NOBODY, NOBODY)


def nothing_ran(folder: Path, done: subprocess.CompletedProcess[bytes]) -> str | None:
    if (folder / "ran").exists():
        return "injection: the template cache unpickled another user's file"
    return None


def no_control_in_records(folder: Path, done: subprocess.CompletedProcess[bytes]) -> str | None:
    for path in (folder / "d").glob("*.md"):
        if found := CONTROL.search(path.read_text("utf-8")):
            return f"injection: {found.group()!r} in {path.name}"
    return None


EVIL_BANK = {
    "hbank/bank.yaml": (MINI_BANK / "bank.yaml")
    .read_bytes()
    .replace(b"text: What is the main motive?", b'text: "\\e]0;X\\a \\x9b1m \\u202e?"', 1),
    "hbank/rules.yaml": (MINI_BANK / "rules.yaml").read_bytes(),
}
EVIL_NAMES = answers_with("participants: [Ana]", 'participants: ["A\\u202ena\\e[2J"]')
MANY_CHOICES = answers_with("motive: customer", "motive:\n" + "    - customer\n" * 650_000)

# (name, args, exit codes, more of the case). Every file in the folder is protected unless named.
REPAIR = ["record", "verify", "--repair", "--dir", "d"]
REPORT_MD = ["report", "ok.yaml", "--bank", "bank", "-o", "out.md"]
FORM_OUT = ["form", "--bank", "hbank", "-o", "-", "--title", ESC + "\u202e"]
MADR_ADD = [*ADD_IN, "--style", "madr", "--title", "\u202eT"]
ADD_TWO = "record add 0002"
REMOVE_ALL = journal(operation=ADD_TWO, adding={"folder": "assessments", "markdown": "0002-x.md"})
REMOVE_ONE = journal(
    operation=ADD_TWO, adding={"folder": "assessments/0001-mini-rewrite", "markdown": "0002-x.md"}
)
WRITE_OUT = journal(
    operation="record status 1 accepted",
    writes=[{"path": "../ok.yaml", "before": "0" * 64, "after": "x"}],
)
MADR: dict[str, Any] = {"files": {"input.yaml": EVIL_NAMES}, "check": no_control_in_records}
FIFOS: dict[str, Any] = {"setup": cached_templates(as_fifo), "outputs": ("out.md",)}
PICKLES = {"setup": cached_templates(as_pickle_of_another_user), "check": nothing_ran}

# (name, args, exit codes, more of the case). Every file in the folder is protected unless named.
UNTRUSTED: list[tuple[str, list[str], tuple[int, ...], dict[str, Any]]] = [
    ("verify --repair: a journal that removes assessments/", REPAIR, (3,), {"setup": REMOVE_ALL}),
    ("record add: a journal that removes another record", ADD, (2,), {"setup": REMOVE_ONE}),
    (
        "record status: a journal writing outside",
        ["record", "status", "1", "accepted", "--dir", "d"],
        (2,),
        {"setup": WRITE_OUT},
    ),
    (
        "record list: a journal with an escape",
        ["record", "list", "--dir", "d"],
        (2,),
        {"setup": journal(operation=f"record add {ESC}")},
    ),
    (
        "verify --repair: superseded by 5,000 digits",
        REPAIR,
        (0, 3),
        {"setup": superseded_by(5000), **INTO_D},
    ),
    ("form -o -: ESC, C1 and U+202E in the bank and title", FORM_OUT, (0,), {"files": EVIL_BANK}),
    ("record add --style madr: U+202E in names", MADR_ADD, (0,), {**MADR, **INTO_D}),
    ("report: a FIFO in the template cache", REPORT_MD, (0,), FIFOS),
    (
        "report: another user's pickle in the template cache",
        REPORT_MD,
        (0,),
        {**PICKLES, "outputs": ("out.md",)},
    ),
    (
        "report: 650,000 repeated choices (9.8 MB)",
        [*REPORT_IN],
        (2,),
        {"files": {"input.yaml": MANY_CHOICES}},
    ),
]


def untrusted_cases() -> list[Case]:
    rows = UNTRUSTED if os.geteuid() == 0 else [r for r in UNTRUSTED if "user's" not in r[0]]
    return [Case("untrusted files", name, args, codes, **more) for name, args, codes, more in rows]


def usage_cases() -> list[Case]:
    lines = [
        [],
        ["--help"],
        ["--version"],
        ["-h"],
        ["schema"],
        ["schema", "bogus"],
        ["report"],
        ["report", "ok.yaml", "--format", "bogus"],
        ["report", "ok.yaml", "-o", "out.txt"],
        ["report", "ok.yaml", "--paper", "a5"],
        ["bogus"],
        ["record"],
        ["record", "bogus"],
        ["record", "status"],
        ["record", "status", "x", "accepted"],
        ["record", "status", "1", "bogus"],
        ["record", "status", "9" * 5000, "accepted"],
        ["record", "list", "--dir", "missing"],
        ["record", "verify", "--dir", "missing"],
        ["record", "index", "--dir", "missing"],
        ["diff"],
        ["diff", "ok.yaml"],
        ["diff", "9" * 5000, "ok.yaml", "--bank", "bank"],
        ["diff", "-1", "ok.yaml"],
        ["diff", "ok.yaml", "ok.yaml", "--format", "xml"],
        ["check", "nope/"],
        ["check", "ok.yaml"],
        ["questions", "--format", "xml"],
        ["questions", "--bank", "nope"],
        ["assess"],
        ["assess", "-o", "ok.yaml"],
        ["assess", "-o", "/dev/null"],
        ["workshop"],
        ["workshop", "ok.yaml"],
        ["workshop", "ana.yaml", "ana.yaml", "--bank", "bank"],
        ["report", "x" * 100_000],
        ["report", "--", "-o"],
        ["report", "ok.yaml", "--bank", "ok.yaml"],
        ["report", "ok.yaml", "-o", "-", "--format", "pdf"],
        ["schema", "answers", "--bank", "nope"],
        ["schema", "memo", "--bank", "bank"],
        ["--bogus"],
        ["report", "-o"],
    ]
    return [Case("usage", " ".join(a)[:60] or "(no arguments)", a, codes=(0, 2)) for a in lines]


def large_cases() -> list[Case]:
    big = {"files": chain_bank(20_000), "timeout": 120.0}
    rows = [
        ("check 20,000 chained questions", ["check", "big"], ()),
        (
            "report 20,000 chained questions as JSON",
            ["report", "big.yaml", "--bank", "big", "-o", "out.json"],
            ("out.json",),
        ),
        ("questions of 20,000", ["questions", "--bank", "big"], ()),
    ]
    return [Case("large banks", n, args, (0,), outputs=out, **big) for n, args, out in rows]


# --- assess in a pseudo-terminal ---------------------------------------------------------------


def assess_in_a_terminal(keys: list[str]) -> Callable[[Path, list[str]], tuple[int, bytes]]:
    """Run the command in a pseudo-terminal: wait for texts, type keys, press Ctrl-C."""

    def run(folder: Path, command: list[str]) -> tuple[int, bytes]:
        import io

        import pexpect

        seen = io.BytesIO()
        child = pexpect.spawn(
            command[0],
            command[1:],
            cwd=str(folder),
            env=environment(folder),
            timeout=20,
            dimensions=(40, 120),
        )
        child.logfile_read = seen
        with contextlib.suppress(pexpect.TIMEOUT, pexpect.EOF):
            for key in keys:
                if key.startswith("wait:"):
                    child.expect(key[5:].encode())
                elif key == "ctrl-c":
                    child.sendintr()
                else:
                    child.send(key)
        with contextlib.suppress(pexpect.TIMEOUT, pexpect.EOF):
            child.expect(pexpect.EOF)
        child.close(force=True)
        if child.exitstatus is not None:
            return child.exitstatus, seen.getvalue()
        return -(child.signalstatus or 9), seen.getvalue()

    return run


def assess_cases() -> list[Case]:
    if shutil.which("setpriv") is None:
        return []
    edited = b"# ours\n" + answers_with("  freeze: 2\n", "").replace(
        b"title: Mini rewrite", b'title: "\\e]0;PWNED\\a\\e[31mRED"'
    )
    answer_then_stop = ["wait:feature freeze", "2\r", "wait:new clients", "ctrl-c"]

    def kept(target: str) -> Callable[[Path, subprocess.CompletedProcess[bytes]], str | None]:
        def check(folder: Path, done: subprocess.CompletedProcess[bytes]) -> str | None:
            text = (folder / target).read_text()
            if not text.startswith("# ours\n"):
                return "damage: the hand-written comment was lost"
            if "freeze: 2" not in text:
                return "the answer was not saved"
            if (folder / "link.yaml").exists() and not (folder / "link.yaml").is_symlink():
                return "damage: the link was replaced by a file"
            return None

        return check

    base = ["assess", "--bank", "bank", "-o"]
    stop, none = assess_in_a_terminal(answer_then_stop), assess_in_a_terminal([])
    in_ro = assess_in_a_terminal(["wait:Title", "\r", "wait:Your name", "\r"])
    edits: dict[str, Any] = {"files": {"real.yaml": edited}, "outputs": ("real.yaml",)}
    edits |= {"pty": stop, "check": kept("real.yaml")}
    rows: list[tuple[str, str, tuple[int, ...], dict[str, Any]]] = [
        (
            "answers through a link, Ctrl-C",
            "link.yaml",
            (130,),
            {**edits, "setup": link("link.yaml", "real.yaml")},
        ),
        ("a file with ESC in its title", "real.yaml", (130,), edits),
        ("-o /dev/null", "/dev/null", (2,), {"protect": ("/dev/null",), "pty": none}),
        ("-o a FIFO", "fifo", (2,), {"setup": fifo("fifo"), "pty": none}),
        ("-o a folder", "bank", (2,), {"pty": none}),
        (
            "-o a random file",
            "junk.yaml",
            (2,),
            {"files": {"junk.yaml": CONTENTS["random bytes"]}, "pty": none},
        ),
        ("-o in a read-only folder", "ro/a.yaml", (2,), {**ro("ro"), "pty": in_ro}),
    ]
    return [
        Case("assess in a terminal", name, [*base, target], codes, **more)
        for name, target, codes, more in rows
    ]


def all_cases(valid_pdf: bytes) -> list[Case]:
    return (
        reader_cases()
        + special_cases()
        + output_cases()
        + pdf_cases(valid_pdf)
        + injection_cases()
        + untrusted_cases()
        + usage_cases()
        + large_cases()
        + assess_cases()
    )


def valid_memo_pdf(folder: Path) -> bytes:
    out = folder / "valid.pdf"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rewrite_advisor",
            "report",
            str(MINI_ANSWERS),
            "--bank",
            str(MINI_BANK),
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return out.read_bytes()


def run_suite(
    only: str | None = None, every: int = 1, workers: int = 2, quiet: bool = False
) -> list[Outcome]:
    """Run the cases (those whose category contains ``only``; one in ``every``)."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        root = Path(tmp)
        root.chmod(0o755)
        cases = all_cases(valid_memo_pdf(root))
        if only:
            cases = [c for c in cases if only in c.category or only in c.name]
        cases = cases[::every]

        def one(index: int, case: Case) -> Outcome:
            try:
                outcome = run_case(case, root, index)
            except Exception as exc:  # a fault of this runner, not of the program
                outcome = Outcome(case, None, b"", b"", [f"runner: {exc!r}"], 0.0)
            if not quiet and index % 50 == 49:
                print(f"  {index + 1} of {len(cases)}", file=sys.stderr, flush=True)
            return outcome

        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(one, range(len(cases)), cases))
    if not quiet:
        report(outcomes)
    return outcomes


def report(outcomes: list[Outcome]) -> None:
    by_category = Counter(o.case.category for o in outcomes)
    kinds = Counter(p.split(":")[0].split(" (")[0] for o in outcomes for p in o.problems)
    for outcome in outcomes:
        if outcome.problems:
            case, problems = outcome.case, "; ".join(outcome.problems)
            print(f"FAIL [{case.category}] {case.name!r}: {problems}")
            stderr = outcome.err.decode("utf-8", "replace")[-400:]
            print(f"     exit {outcome.code}; stderr: {stderr!r}")
    print()
    print(f"{'category':<24} cases")
    for category, count in sorted(by_category.items()):
        print(f"{category:<24} {count:>5}")
    skipped = [o for o in outcomes if o.skipped]
    if skipped:
        print(f"\nskipped {len(skipped)} (no unprivileged user and no read-only mount here):")
        for outcome in skipped:
            print(f"  {outcome.case.name}")
    codes = Counter(o.code for o in outcomes if not o.skipped)
    print(f"\n{len(outcomes)} cases; exit codes: {dict(sorted(codes.items(), key=str))}")
    print(
        f"tracebacks: {kinds['traceback']}, hangs: {kinds['hang']}, "
        f"damaged or lost files: {kinds['damage'] + kinds['lost']}, "
        f"effective injections: {kinds['injection']}, contract breaches: {kinds['contract']}"
    )
    slowest = max(outcomes, key=lambda o: o.seconds)
    print(f"slowest: {slowest.case.name!r} {slowest.seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the categories (or cases) whose name has this")
    parser.add_argument("--every", type=int, default=1, help="run one case in this many")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    outcomes = run_suite(options.only, options.every, options.workers)
    failed = sum(1 for o in outcomes if o.problems)
    skipped = sum(1 for o in outcomes if o.skipped)
    print(f"{len(outcomes) - failed - skipped} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
