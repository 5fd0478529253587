"""The API's routers, one module per group of endpoints (see docs/api.md)."""
