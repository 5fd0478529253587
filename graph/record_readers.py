"""Reading records files (CSV, JSON Lines, JSON arrays, optionally gzip-compressed) into rows.

The whole file is read and decoded before anything is imported, so an encoding problem is
found up front and reported with the fix, and nothing is half-written. A line that is not
valid JSON, or a CSV row with too many cells, becomes a rejected row with its reason.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import SourceError, UnsafeSourceError
from graph.source_guard import check_json_document

RECORD_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".json")


@dataclass(frozen=True)
class RawRow:
    """One row of a records file: its values, or why it could not be read."""

    line: int
    values: dict[str, object] | None
    error: str | None = None


@dataclass(frozen=True)
class RecordsFile:
    """A decoded records file with the hash of its bytes."""

    path: Path
    text: str
    content_hash: str
    kind: str

    def rows(self) -> Iterator[RawRow]:
        if self.kind == ".csv":
            return _csv_rows(self.text, self.path)
        if self.kind == ".json":
            return _json_array_rows(self.text, self.path)
        return _jsonl_rows(self.text)


def records_kind(path: Path) -> str | None:
    """The records format of ``path`` by its suffix (``.jsonl.gz`` counts as ``.jsonl``), or None."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes and suffixes[-1] in RECORD_SUFFIXES else None


def read_records_file(path: Path, encoding: str = "utf-8") -> RecordsFile:
    """Read and decode a whole records file; raise :class:`SourceError` with the fix when it cannot be."""
    kind = records_kind(path)
    if kind is None:
        raise SourceError(f"{path}: not a records file; use .csv, .jsonl, .ndjson or .json (optionally .gz)")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"{path}: cannot read the file ({error.strerror})") from error
    if path.suffix.lower() == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise SourceError(f"{path}: not a valid gzip file ({error}); is it complete?") from error
    return RecordsFile(path, decode_text(data, path, encoding), hashlib.sha256(data).hexdigest(), kind)


def decode_text(data: bytes, path: Path, encoding: str = "utf-8") -> str:
    """Decode bytes strictly, naming the likely encoding and the fix when they are not ``encoding``."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(f"{path}: looks like a binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise SourceError(_encoding_advice(data, path, encoding, error)) from error
    return text


def _encoding_advice(data: bytes, path: Path, encoding: str, error: Exception) -> str:
    if isinstance(error, LookupError):
        return f"unknown encoding {encoding!r}; use a Python codec name such as utf-8 or gb18030"
    position = error.start if isinstance(error, UnicodeDecodeError) else 0
    message = f"{path}: not valid {encoding} (first bad byte at offset {position})"
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return message + "; check the file's encoding and pass it with --encoding"
    return (
        message + "; it decodes as GB18030/GBK. Re-run with --encoding gb18030, "
        f"or convert it first: iconv -f GB18030 -t UTF-8 {path.name} > utf8-{path.name}"
    )


def _jsonl_rows(text: str) -> Iterator[RawRow]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = check_json_document(line, f"line {number}")
        except json.JSONDecodeError as error:
            yield RawRow(number, None, f"not valid JSON ({error.msg} at column {error.colno})")
            continue
        except UnsafeSourceError as error:
            yield RawRow(number, None, str(error))
            continue
        if isinstance(value, dict):
            yield RawRow(number, value)
        else:
            yield RawRow(number, None, f"a record must be a JSON object, not {type(value).__name__}")


def _json_array_rows(text: str, path: Path) -> Iterator[RawRow]:
    try:
        value = check_json_document(text, str(path))
    except json.JSONDecodeError as error:
        raise SourceError(
            f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from error
    if isinstance(value, dict):
        value = next((v for v in value.values() if isinstance(v, list)), [value])
    if not isinstance(value, list):
        raise SourceError(f"{path}: a .json records file must hold an array of objects")
    for index, item in enumerate(value, start=1):
        if isinstance(item, dict):
            yield RawRow(index, item)
        else:
            yield RawRow(index, None, f"item {index} is not a JSON object")


def _csv_rows(text: str, path: Path) -> Iterator[RawRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    header = [name.strip() for name in header]
    duplicates = sorted({name for name in header if header.count(name) > 1 and name})
    if duplicates:
        raise SourceError(
            f"{path}: the header repeats column(s) {', '.join(duplicates)}; each column must be named once"
        )
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            yield RawRow(line, None, f"{len(cells)} cells but the header has {len(header)} columns; check quoting")
            continue
        yield RawRow(line, dict(zip(header, cells, strict=False)))
