"""The PDF memo: print layout, PDF/A-3 with the answers file inside, and reading it back.

This is the only module that imports WeasyPrint, and it does so inside the functions that
need it, so that ``--help`` and the HTML, Markdown and JSON paths never load it (nor Pango).

The PDF is meant to be archived: it is PDF/A-3b and tagged, carries the answers file it was
made from as an embedded file, takes its dates from the assessment (never from the clock) and
its file identifier from its own content, so the same answers give the same bytes. Rendering
fetches nothing but the bundled templates: every other file, network or ``data:`` URL is
refused. Very long user text is cut to a readable length with a visible note; the full text
stays in the embedded answers file.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import resources
from .errors import AnswersError, RenderingUnavailable
from .memo import Memo

PDF_VARIANT = "pdf/a-3b"

TEXT_LIMIT = 2000
"""The most characters of one answer, note or other text shown in the PDF."""
TITLE_LIMIT = 200
NAME_LIMIT = 80
_FULL_TEXT = "the full text is in the attached answers file"

PANGO_MISSING = (
    "PDF output needs Pango: install the system packages libpango-1.0-0 libpangoft2-1.0-0 "
    "(Debian/Ubuntu) or pango (Fedora, Alpine, Homebrew); HTML, Markdown and JSON work without it"
)


@contextmanager
def _loader_finds_libraries() -> Iterator[None]:
    """Let the dynamic loader find WeasyPrint's libraries, without running a compiler.

    For every library WeasyPrint tries several names, and cffi looks up each name that does
    not load at once with ``ctypes.util.find_library``, which on Linux runs ``ldconfig`` and a
    C compiler: about 200 processes and half a second per import. Among the names WeasyPrint
    tries is the soname (``libpango-1.0.so.0``), which the loader finds in its cache by itself,
    so the lookup is skipped while WeasyPrint loads.
    """
    import ctypes.util

    if not sys.platform.startswith("linux"):
        yield
        return
    lookup = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = lookup


_collector_lock = threading.Lock()
_renders = 0
"""How many renders are running now, in every thread."""
_collector_before: tuple[tuple[int, ...], bool] = ((), False)
"""The collector's thresholds before the first of them, and whether it froze the objects."""


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cycle collector seldom while a memo is laid out and written.

    A layout makes hundreds of thousands of short-lived objects, and with the default
    thresholds the collector runs thousands of times, scanning every object the imports left
    behind; those are set aside (``gc.freeze``) and young objects are collected less often.
    This saves about a twentieth of a render and changes the peak memory by about 1 MiB. The
    first render to start changes the settings and the last to end restores them, so renders
    in several threads, or one inside another, leave them as they were; a program that froze
    objects itself keeps them frozen.
    """
    import gc

    global _renders, _collector_before
    with _collector_lock:
        if _renders == 0:
            _collector_before = (gc.get_threshold(), gc.get_freeze_count() == 0)
            if _collector_before[1]:
                gc.freeze()
            gc.set_threshold(100_000, 50, 100)
        _renders += 1
    try:
        yield
    finally:
        with _collector_lock:
            _renders -= 1
            if _renders == 0:
                thresholds, froze = _collector_before
                gc.set_threshold(*thresholds)
                if froze:
                    gc.unfreeze()


def _weasyprint() -> Any:
    """Import WeasyPrint, or say which system packages are missing."""
    try:
        try:
            with _loader_finds_libraries():
                import weasyprint
        except OSError:
            # A system whose libraries go by other names: the slow lookup, as WeasyPrint does.
            for name in [
                m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")
            ]:
                del sys.modules[name]
            import weasyprint
    except OSError as exc:  # cffi cannot load libpango / libgobject
        raise RenderingUnavailable(PANGO_MISSING) from exc
    except ImportError as exc:
        raise RenderingUnavailable(
            "PDF output needs the Python package weasyprint: pip install weasyprint"
        ) from exc
    return weasyprint


def clip(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters and say how much was left out."""
    if len(text) <= limit:
        return text
    omitted = len(text) - limit
    return f"{text[:limit]} [truncated: {omitted:,} characters omitted; {_FULL_TEXT}]"


def _clip_all(value: Any, limit: int) -> Any:
    if isinstance(value, str):
        return clip(value, limit)
    if isinstance(value, list):
        return [_clip_all(item, limit) for item in value]
    if isinstance(value, dict):
        return {key: _clip_all(item, limit) for key, item in value.items()}
    return value


def printable_memo(memo: Memo) -> Memo:
    """The memo with every text cut to a length that lays out quickly and reads well on paper."""
    data = memo.model_dump()
    answers = data.pop("answers")
    data = _clip_all(data, TEXT_LIMIT)
    data["title"] = clip(memo.title, TITLE_LIMIT)
    data["participants"] = [clip(name, NAME_LIMIT) for name in memo.participants]
    data["answers"] = answers  # not shown; kept as it was
    return Memo.model_validate(data)


def _bundled_file(url: str, root: Path) -> Path | None:
    """The bundled file a URL names, or None for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
        return None
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def _url_fetcher(weasyprint: Any, root: Path) -> Any:
    """A URL fetcher that serves the bundled templates folder and refuses everything else."""
    urls = weasyprint.urls
    base: Any = urls.URLFetcher

    class BundledOnlyFetcher(base):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = _bundled_file(url, root)
            if path is None:
                self.refused.append(url)
                raise urls.URLFetchingError(f"refused: {url[:100]} is not a bundled resource")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return urls.URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime}
            )

    return BundledOnlyFetcher()


def media_type(name: str) -> str:
    """The MIME type of an embedded answers file: YAML, or JSON for a ``.json`` file."""
    return "application/json" if name.lower().endswith(".json") else "application/yaml"


def _finish(document: Any, pdf: Any) -> None:
    """Mend what WeasyPrint writes into a PDF/A-3 with attachments, before it is written.

    WeasyPrint lists each attachment twice in the catalog's ``/AF`` (once from the name tree,
    once from the file specifications), and types a ``.yaml`` file
    ``application/octet-stream``. Each attachment is listed once, with its real type.
    """
    listed = pdf.catalog.get("AF")
    if listed is not None:
        unique: list[Any] = []
        for reference in listed:
            if reference not in unique:
                unique.append(reference)
        listed[:] = unique
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/Filespec" and "EF" in item:
            stream = pdf.objects[int(item["EF"]["F"].split()[0])]
            name = getattr(item.get("UF"), "string", "")
            stream.extra["Subtype"] = "/" + media_type(str(name)).replace("/", "#2f")


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def render_pdf(memo: Memo, sources: Sequence[tuple[str, bytes]], *, paper: str = "a4") -> bytes:
    """Render the memo as a PDF/A-3b document with the answers files embedded.

    Args:
        memo: The scored memo.
        sources: The name and bytes of each answers file the memo was made from (one, or one
            per participant for a team memo), embedded exactly as given.
        paper: ``a4`` or ``letter``.

    Raises:
        RenderingUnavailable: If WeasyPrint or the Pango libraries are missing.
    """
    from .render import PAPER_SIZES, render_html

    weasyprint = _weasyprint()
    root = resources.templates_dir().resolve()
    html = render_html(printable_memo(memo), for_print=True, paper=PAPER_SIZES[paper])
    fetcher = _url_fetcher(weasyprint, root)
    document = weasyprint.HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=fetcher)
    stamp = _midnight(memo.date)
    attachments = [
        weasyprint.Attachment(
            string=data,
            name=name,
            description="The answers this memo was made from",
            created=stamp,
            modified=stamp,
            relationship="Source",
            url_fetcher=fetcher,
        )
        for name, data in sources
    ]
    with _fewer_collections():
        pdf: bytes = document.write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
            pdf_identifier=True,  # derived from the content: no random or clock-based id
            attachments=attachments,
            presentational_hints=False,
            finisher=_finish,
        )
    return pdf


def embedded_answers(path: Path) -> list[tuple[str, bytes]]:
    """The answers files embedded in a memo PDF: their names and bytes.

    One for a memo, one per participant for a team memo. The PDF is read whole, at most
    :data:`fsio.PDF_LIMIT` (a device or a link to one is refused before reading).

    Raises:
        AdvisorError: If the file cannot be read, is not a PDF, or holds no answers file.
    """
    from . import fsio

    data = fsio.read_input(path, fsio.PDF_LIMIT, "a PDF memo made by 'report'")
    return answers_in_pdf(data, path)


def answers_in_pdf(data: bytes, path: Path) -> list[tuple[str, bytes]]:
    """The answers files embedded in the bytes of a memo PDF read from ``path``.

    A damaged or hostile PDF of any kind is one error, and pypdf's own warnings are kept off
    the terminal.

    Raises:
        AnswersError: If the bytes are not a readable PDF, or hold no answers file.
    """
    import io
    import logging
    import warnings

    from pypdf import PdfReader

    from . import fsio

    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            listed = [(str(name), items) for name, items in reader.attachments.items()]
            files = [(name, bytes(item)) for name, items in listed for item in items]
    except MemoryError:
        raise AnswersError("cannot read this PDF: it is too large to unpack", path) from None
    except RecursionError:
        raise AnswersError("cannot read this PDF: it is nested too deeply", path) from None
    except Exception as exc:  # a parser of hostile input: any failure is the file's fault
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise AnswersError(f"cannot read this PDF: {reason}", path) from None
    if not files:
        raise AnswersError("this PDF holds no answers file: only memos made by 'report' do", path)
    for _, content in files:
        if len(content) > fsio.ANSWERS_LIMIT:
            raise AnswersError(
                f"an answers file in this PDF is larger than {fsio.ANSWERS_LIMIT // fsio.MB} MB",
                path,
            )
    return files
