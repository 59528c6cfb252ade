"""The PDF/A-3b rules the memo relies on, checked on the file itself (veraPDF is not at hand).

Each test names the clause of ISO 19005-3 (PDF/A-3) it checks. One memo and one team memo
(several attachments) are rendered once for the run.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, MINI_ANSWERS, MINI_BANK, Renders
from pypdf import PdfReader
from pypdf.generic import IndirectObject


@pytest.fixture(
    scope="module",
    params=[
        # The mini memo is the one test_pdf reads: its tests share the render on one worker.
        pytest.param("one", marks=pytest.mark.xdist_group("pdf-mini")),
        pytest.param("team", marks=pytest.mark.xdist_group("pdfa-team")),
    ],
)
def pdf(request: pytest.FixtureRequest, pdfs: Renders) -> Path:
    if request.param == "one":
        return pdfs(MINI_ANSWERS, "--bank", MINI_BANK).path
    return pdfs(*sorted((EXAMPLES / "workshop").glob("*.yaml"))).path


def catalog(path: Path) -> Any:
    return PdfReader(path).trailer["/Root"]


def attachments(path: Path) -> list[Any]:
    names = catalog(path)["/Names"]["/EmbeddedFiles"]["/Names"]
    return [names[i + 1].get_object() for i in range(0, len(names), 2)]


def test_header_and_binary_comment(pdf: Path) -> None:
    # 6.1.2: the header, then a comment of at least four bytes above 127.
    head = pdf.read_bytes()[:64].split(b"\n")
    assert re.fullmatch(rb"%PDF-1\.[4-7]", head[0].rstrip(b"\r"))
    assert head[1].startswith(b"%") and sum(b > 127 for b in head[1][1:5]) == 4


def test_trailer_has_an_id_and_no_encryption(pdf: Path) -> None:
    # 6.1.3: a file identifier; no Encrypt key.
    trailer = PdfReader(pdf).trailer
    assert "/ID" in trailer and len(trailer["/ID"]) == 2
    assert "/Encrypt" not in trailer


def test_xmp_declares_pdfa_3b(pdf: Path) -> None:
    # 6.6.4: the PDF/A identification schema in the XMP metadata.
    xmp = catalog(pdf)["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)3', xmp) and re.search(r'pdfaid:conformance(="|>)B', xmp)


def test_output_intent_with_an_icc_profile(pdf: Path) -> None:
    # 6.2.3: a PDF/A output intent with an embedded destination profile.
    intents = catalog(pdf)["/OutputIntents"]
    assert [i["/S"] for i in intents] == ["/GTS_PDFA1"]
    assert intents[0]["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"


def test_every_font_is_embedded(pdf: Path) -> None:
    # 6.2.11.4: font programs are embedded.
    reader = PdfReader(pdf)
    seen = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for each in fonts:
                descriptor = each["/FontDescriptor"].get_object()
                assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), each
                seen += 1
    assert seen


def test_no_javascript_and_no_actions_that_launch(pdf: Path) -> None:
    # 6.6.1: no JavaScript, Launch, or other forbidden actions.
    data = pdf.read_bytes()
    for forbidden in (b"/JavaScript", b"/JS ", b"/Launch", b"/ImportData", b"/ResetForm"):
        assert forbidden not in data
    assert "/JavaScript" not in catalog(pdf).get("/Names", {})


def test_each_attachment_is_listed_once_in_af(pdf: Path) -> None:
    # 6.8: every embedded file is an associated file of the document, listed in /AF.
    listed = catalog(pdf)["/AF"]
    references = [(r.idnum, r.generation) for r in listed if isinstance(r, IndirectObject)]
    assert len(references) == len(listed) == len(set(references))
    specs = [r.get_object() for r in listed]
    assert [s["/UF"] for s in specs] == [s["/UF"] for s in attachments(pdf)]


def test_file_specifications_are_complete(pdf: Path) -> None:
    # 6.8: each file specification has /F and /UF, a /Desc and an /AFRelationship.
    for spec in attachments(pdf):
        assert spec["/Type"] == "/Filespec"
        assert spec["/F"] and spec["/UF"] and spec["/Desc"]
        assert spec["/AFRelationship"] == "/Source"


def test_embedded_files_have_a_mime_type_and_their_params(pdf: Path) -> None:
    # 6.8: an embedded file stream has a /Subtype with its MIME type, and /Params with the
    # modification date; the checksum and size match the bytes.
    for spec in attachments(pdf):
        stream = spec["/EF"]["/F"].get_object()
        assert stream["/Type"] == "/EmbeddedFile"
        assert stream["/Subtype"] == "/application/yaml"
        params = stream["/Params"]
        data = stream.get_data()
        assert re.fullmatch(r"D:\d{14}Z", params["/ModDate"])
        assert params["/Size"] == len(data)
        checksum = params["/CheckSum"]
        assert getattr(checksum, "original_bytes", checksum) == hashlib.md5(data).digest()


def test_tagged_with_a_language(pdf: Path) -> None:
    # Tagged PDF (as the README promises): marked content, a structure tree, a language.
    root = catalog(pdf)
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"]
