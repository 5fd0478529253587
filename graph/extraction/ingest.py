"""Reading documents for extraction: .txt and .md files, UTF-8 or GB18030, binary rejected.

Decoding tries UTF-8 (with or without BOM), then UTF-16 when a BOM says so, then GB18030 (a
superset of GBK and GB2312); the encoding that worked is reported on the result. A file that
mixes encodings (UTF-8 paragraphs pasted next to GBK ones) is refused rather than decoded as
GB18030 mojibake: it holds runs of valid UTF-8 Chinese and bytes that are not UTF-8.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import SourceError

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".text")
_CONTROL_LIMIT = 0.01  # share of C0 control characters tolerated in decoded text
# Four Chinese characters in a row that are valid UTF-8 do not happen by chance in GBK bytes.
_UTF8_RUN = re.compile("[\u4e00-\u9fff]{4,}")


@dataclass(frozen=True)
class SourceText:
    """A decoded document and where it came from."""

    text: str
    encoding: str
    doc_id: str
    source: str | None


def read_source(path: Path) -> SourceText:
    """Read and decode one document file; raise SourceError with a next step on failure."""
    if path.suffix.lower() == ".pdf":
        raise SourceError(f"{path}: PDF is not supported; extract its text first (e.g. `pdftotext -layout`)")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise SourceError(f"{path}: unsupported file type {path.suffix!r}; give a .txt or .md file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the file ({exc.strerror}); check the path and permissions") from exc
    text, encoding = decode_bytes(data, name=str(path))
    return SourceText(text=text, encoding=encoding, doc_id=path.stem, source=str(path))


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode document bytes; return (text, encoding used)."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name), "utf-16"
    if b"\x00" in data:
        raise SourceError(f"{name}: looks like a binary file (contains NUL bytes); give a plain-text document")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8":
                _refuse_mixed(data, exc.start, name)
            continue
        if _mostly_text(text):
            if encoding != "utf-8":
                log.info("%s: decoded as %s (not valid UTF-8)", name, encoding)
            return text, encoding
    raise SourceError(f"{name}: cannot decode as UTF-8 or GB18030; convert the file to UTF-8 (e.g. with iconv)")


def _refuse_mixed(data: bytes, first_bad: int, name: str) -> None:
    """Raise when valid UTF-8 Chinese stands next to bytes of another encoding."""
    if _UTF8_RUN.search(data.decode("utf-8", errors="replace")):
        line = data.count(b"\n", 0, first_bad) + 1
        raise SourceError(
            f"{name}: mixes UTF-8 with another encoding (the first byte that is not UTF-8 is on line "
            f"{line}); convert the other parts to UTF-8 (e.g. `iconv -f GBK -t UTF-8`) and import again"
        )


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(f"{name}: invalid {encoding} at byte {exc.start}; re-save the file as UTF-8") from exc


def _mostly_text(text: str) -> bool:
    if not text:
        return True
    controls = sum(text.count(chr(c)) for c in range(32) if chr(c) not in "\t\n\r\f")
    return controls <= _CONTROL_LIMIT * len(text)
