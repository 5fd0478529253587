"""Which graph store the settings select: the embedded Oxigraph store, or a SPARQL 1.1 server.

``KGCAT_REMOTE_QUERY_URL`` set selects :class:`~graph.remote_store.SparqlProtocolStore` for every
command and the server; unset, the embedded store under the data directory. The search index,
reports and dumps stay in the data directory either way (docs/configuration.md).
"""

from __future__ import annotations

from api.settings import Settings
from graph.errors import StoreError
from graph.remote_store import SparqlProtocolStore
from graph.store import OxigraphStore


def store_location(settings: Settings) -> str:
    """Where the catalogue lives, for messages."""
    endpoint = settings.remote_endpoint()
    return str(settings.store_dir) if endpoint is None else f"the SPARQL server at {endpoint.query_url}"


def open_store(settings: Settings, *, write: bool) -> OxigraphStore | SparqlProtocolStore:
    """Open the selected store (read-only unless ``write``); an embedded one must exist unless written."""
    endpoint = settings.remote_endpoint()
    if endpoint is not None:
        return SparqlProtocolStore(endpoint, settings.base_iri, read_only=not write)
    if not write and not settings.store_dir.exists():
        raise StoreError(f"no catalogue at {settings.store_dir}; run `kgcat build` first (or pass --data-dir)")
    return OxigraphStore(settings.store_dir, read_only=not write)
