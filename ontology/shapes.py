"""The registry of SHACL shapes layers shipped with the DCAT-AP-CN profile.

Shapes are data files under ``ontology/shapes/`` (one per layer, like SEMIC's DCAT-AP
shapes); this module only names them and loads them once. See docs/shapes.md.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib.resources import files

from rdflib import Graph

from ontology.errors import ValidationSetupError


class ShapesLayer(StrEnum):
    """A layer of shapes; the value is the name users type (``--shapes core``)."""

    CORE = "core"
    RECOMMENDED = "recommended"
    VOCABULARIES = "vocabularies"
    DCAT_AP = "dcat-ap"

    @property
    def file_name(self) -> str:
        return "dcat-ap-3.0.0.ttl" if self is ShapesLayer.DCAT_AP else f"{self.value}.ttl"

    @classmethod
    def parse(cls, name: str) -> ShapesLayer:
        try:
            return cls(name)
        except ValueError:
            known = ", ".join(layer.value for layer in cls)
            raise ValidationSetupError(f"unknown shapes layer {name!r}; choose one of: {known}") from None


GATE_LAYERS: tuple[ShapesLayer, ...] = (ShapesLayer.CORE, ShapesLayer.VOCABULARIES)
"""Layers whose violations keep a record out of the store."""

PROFILE_LAYERS: tuple[ShapesLayer, ...] = (ShapesLayer.CORE, ShapesLayer.RECOMMENDED, ShapesLayer.VOCABULARIES)
"""The layers of kgcat's own profile (DCAT-AP is the external, official one)."""


def shapes_text(layer: ShapesLayer) -> str:
    """The Turtle source of one layer, as shipped."""
    return files("ontology").joinpath("shapes", layer.file_name).read_text(encoding="utf-8")


@cache
def load_shapes(layer: ShapesLayer) -> Graph:
    """Parse one layer's shapes graph (cached; callers must not modify it)."""
    graph = Graph()
    graph.parse(data=shapes_text(layer), format="turtle")
    return graph


def combined_shapes(layers: tuple[ShapesLayer, ...]) -> Graph:
    """One shapes graph holding every layer given (shape IRIs are distinct per layer)."""
    if not layers:
        raise ValidationSetupError("no shapes layer selected")
    graph = Graph()
    for layer in layers:
        graph += load_shapes(layer)
    return graph
