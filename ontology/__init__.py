"""The DCAT-AP-CN profile: vocabulary, concept schemes, SHACL shapes and validation.

The lowest layer of kgcat: every other package imports its terms from here.
"""

from __future__ import annotations

from ontology.errors import KgcatError, ValidationSetupError, VocabularyError
from ontology.shapes import GATE_LAYERS, PROFILE_LAYERS, ShapesLayer, load_shapes, shapes_text
from ontology.validation import Severity, ValidationIssue, ValidationReport, validate_graph
from ontology.vocabulary import (
    SCHEME_ACCESS_RIGHT,
    SCHEME_DATA_DOMAIN,
    SCHEME_NATIONAL_THEME,
    SCHEME_SHARE_ATTRIBUTE,
    SCHEME_UPDATE_FREQUENCY,
    VOCABULARY_BASE,
    ConceptLookup,
    concept_lookup,
    normalise_label,
    profile_graph,
)

__all__ = [
    "GATE_LAYERS",
    "PROFILE_LAYERS",
    "SCHEME_ACCESS_RIGHT",
    "SCHEME_DATA_DOMAIN",
    "SCHEME_NATIONAL_THEME",
    "SCHEME_SHARE_ATTRIBUTE",
    "SCHEME_UPDATE_FREQUENCY",
    "VOCABULARY_BASE",
    "ConceptLookup",
    "KgcatError",
    "Severity",
    "ShapesLayer",
    "ValidationIssue",
    "ValidationReport",
    "ValidationSetupError",
    "VocabularyError",
    "concept_lookup",
    "load_shapes",
    "normalise_label",
    "profile_graph",
    "shapes_text",
    "validate_graph",
]
