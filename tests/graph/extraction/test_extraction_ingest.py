"""Bad inputs: empty, binary, GBK-encoded and unsupported files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from graph.errors import SourceError
from graph.extraction import extract_document, read_source
from graph.extraction.ingest import decode_bytes

SAMPLE = "区绿容局登记了行道树信息表。"


def test_empty_file_gives_an_empty_extraction(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with caplog.at_level(logging.WARNING, logger="graph.extraction.pipeline"):
        extraction = extract_document(path)
    assert extraction.mentions == () and extraction.sentences == ()
    assert "empty document" in caplog.text


def test_whitespace_only_text_gives_an_empty_extraction() -> None:
    assert extract_document(" \n\n\t ").mentions == ()


def test_binary_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SourceError, match="binary"):
        extract_document(path)


def test_gbk_text_is_decoded_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(SAMPLE.encode("gbk"))
    extraction = extract_document(path)
    assert extraction.encoding == "gb18030"
    assert {m.text for m in extraction.mentions} == {"区绿容局", "行道树信息表"}


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"))
    assert read_source(path).encoding == "utf-8-sig"
    assert read_source(path).text == SAMPLE


def test_undecodable_text_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"abc\xff\xffdef")
    with pytest.raises(SourceError, match="UTF-8"):
        extract_document(path)


def test_pdf_and_unknown_types_are_rejected_with_a_next_step(tmp_path: Path) -> None:
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    with pytest.raises(SourceError, match="pdftotext"):
        extract_document(pdf)
    with pytest.raises(SourceError, match=r"\.txt or \.md"):
        extract_document(tmp_path / "paper.docx")


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        extract_document(tmp_path / "missing.md")


def test_bytes_and_markdown_are_accepted(tmp_path: Path) -> None:
    assert extract_document(SAMPLE.encode("gb18030"), doc_id="x").encoding == "gb18030"
    path = tmp_path / "page.md"
    path.write_text("# 标题\n\n" + SAMPLE, encoding="utf-8")
    assert extract_document(path).doc_id == "page"


def test_a_file_mixing_utf8_and_gbk_paragraphs_is_refused_naming_the_first_foreign_line() -> None:
    mixed = "区绿容局登记了行道树信息表。\n".encode() * 2 + "区房管局登记了房屋信息表。\n".encode("gbk")
    with pytest.raises(SourceError, match=r"mixes UTF-8 with another encoding .* line 3"):
        decode_bytes(mixed, name="mixed.txt")


def test_a_whole_plan_in_gb18030_is_not_mistaken_for_a_mixed_file(corpus_dir: Path) -> None:
    plan = (corpus_dir / "003_74b7d6b0a6dbf2b1.txt").read_text(encoding="utf-8")
    text, encoding = decode_bytes(plan.encode("gb18030"), name="plan-gbk.txt")
    assert (text, encoding) == (plan, "gb18030")
