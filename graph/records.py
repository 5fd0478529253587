"""Registration records (数据目录清单 rows) as typed values, built from raw rows of any dialect.

A :class:`RegistrationRecord` holds clean values only; what could not be cleaned is kept in
``extras`` verbatim and noted in ``notes``, so no information is lost on the way to RDF.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from graph.record_fields import IGNORED_COLUMNS, LIST_FIELDS, Field, field_for_column
from graph.values import clean_text, parse_date, parse_list


@dataclass(frozen=True)
class RegistrationRecord:
    """One registered public data resource, as read from a records file."""

    line: int
    source_id: str | None
    title: str | None
    description: str | None = None
    publisher: str | None = None
    publisher_short_names: tuple[str, ...] = ()
    publisher_parent: str | None = None
    publisher_basis: str | None = None
    region: str | None = None
    catalog: str | None = None
    catalog_title: str | None = None
    catalog_homepage: str | None = None
    domains: tuple[str, ...] = ()
    national_theme: str | None = None
    update_frequency: str | None = None
    access_level: str | None = None
    share_attribute: str | None = None
    registration_code: str | None = None
    issued: date | datetime | None = None
    modified: date | datetime | None = None
    keywords: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    landing_page: str | None = None
    duplicate_of: str | None = None
    extras: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """How the record is named in reports: its id, title and line."""
        name = self.title or "(no title)"
        return f"line {self.line}: {self.source_id + ' ' if self.source_id else ''}{name}"


def record_from_row(row: Mapping[str, object], line: int) -> RegistrationRecord:
    """Map one raw row (column name → raw value) to a record; never raises on bad values."""
    values: dict[Field, object] = {}
    extras: list[tuple[str, str]] = []
    for column, raw in row.items():
        field_ = field_for_column(column)
        if field_ is None:
            if column not in IGNORED_COLUMNS and (text := _extra_text(raw)) is not None:
                extras.append((column, text))
        elif field_ not in values or values[field_] in (None, "", []):
            values[field_] = raw
    extras.extend(_expand_extra(values.pop(Field.EXTRA, None)))
    notes: list[str] = []
    issued = _date(values, Field.ISSUED, Field.ISSUED_RAW, extras, notes)
    modified = _date(values, Field.MODIFIED, Field.MODIFIED_RAW, extras, notes)
    landing_page = _text(values, Field.LANDING_PAGE)
    if landing_page and _truthy(values.get(Field.LANDING_PAGE_SHARED)):
        extras.append(("landing_page (shared by many records)", landing_page))
        notes.append("landing page is shared by many records of this portal; kept as an additional field only")
        landing_page = None
    return RegistrationRecord(
        line=line,
        source_id=_text(values, Field.ID),
        title=_text(values, Field.TITLE),
        description=_text(values, Field.DESCRIPTION),
        publisher=_text(values, Field.PUBLISHER),
        publisher_short_names=parse_list(values.get(Field.PUBLISHER_SHORT_NAME)),
        publisher_parent=_text(values, Field.PUBLISHER_PARENT),
        publisher_basis=_text(values, Field.PUBLISHER_BASIS),
        region=_text(values, Field.REGION),
        catalog=_text(values, Field.CATALOG),
        catalog_title=_text(values, Field.CATALOG_TITLE),
        catalog_homepage=_text(values, Field.CATALOG_HOMEPAGE),
        domains=parse_list(values.get(Field.DOMAIN)),
        national_theme=_text(values, Field.NATIONAL_THEME),
        update_frequency=_text(values, Field.UPDATE_FREQUENCY),
        access_level=_text(values, Field.ACCESS_LEVEL),
        share_attribute=_text(values, Field.SHARE_ATTRIBUTE),
        registration_code=_text(values, Field.REGISTRATION_CODE),
        issued=issued,
        modified=modified,
        keywords=parse_list(values.get(Field.KEYWORDS)),
        formats=parse_list(values.get(Field.FORMATS)),
        landing_page=landing_page,
        duplicate_of=_text(values, Field.DUPLICATE_OF),
        extras=tuple(extras),
        notes=tuple(notes),
    )


def _text(values: Mapping[Field, object], field_: Field) -> str | None:
    raw = values.get(field_)
    if field_ in LIST_FIELDS or isinstance(raw, (list, tuple)):
        return "、".join(parse_list(raw)) or None
    return clean_text(raw)


def _date(
    values: Mapping[Field, object], field_: Field, raw_field: Field, extras: list[tuple[str, str]], notes: list[str]
) -> date | datetime | None:
    for candidate in (values.get(field_), values.get(raw_field)):
        if (text := clean_text(candidate)) is None:
            continue
        if (parsed := parse_date(text)) is not None:
            return parsed
        extras.append((field_.value, text))
        notes.append(f"{field_.value} {text!r} is not a date; kept as an additional field")
        return None
    return None


def _truthy(raw: object) -> bool:
    return raw is True or (isinstance(raw, str) and raw.strip().lower() in {"true", "1", "yes", "是"})


def _extra_text(raw: object) -> str | None:
    if isinstance(raw, (dict, list)):
        return json.dumps(raw, ensure_ascii=False) if raw else None
    return clean_text(raw)


def _expand_extra(raw: object) -> list[tuple[str, str]]:
    if isinstance(raw, Mapping):
        return [(str(key), text) for key, value in raw.items() if (text := _extra_text(value)) is not None]
    text = _extra_text(raw)
    return [("extra", text)] if text is not None else []
