"""Running the extractors in order and choosing one reading per span.

Pass 1 runs every extractor that reads the text alone (departments, organizations, datasets,
policies, projects, typed lists, quoted names, indicator tables). Pass 2 uses what pass 1
chose: defined aliases, owned quoted names and agreements with their parties. Pass 3 adds
the other occurrences of names already found and the short names of companies and institutes
written in full (宝武 after 中国宝武钢铁集团有限公司, 上海光机所 after …上海光学精密机械研究所, 厦大 with
厦门大学).
Each pass ends with the longest-span choice.
"""

from __future__ import annotations

from graph.extraction.agreements import find_agreements
from graph.extraction.candidates import Candidate, select
from graph.extraction.context import DocumentContext
from graph.extraction.datasets import find_datasets
from graph.extraction.departments import find_departments
from graph.extraction.enumerations import find_list_items
from graph.extraction.indicators import indicator_candidates
from graph.extraction.organizations import find_organizations
from graph.extraction.policies import find_policies
from graph.extraction.projects import find_projects
from graph.extraction.quoted import (
    find_aliases,
    find_group_offices,
    find_owned_quotes,
    find_quoted,
    find_repeats,
)
from graph.extraction.records import IndicatorRow
from graph.extraction.short_names import find_institute_short_names, find_short_names, find_university_short_names


def find_mentions(ctx: DocumentContext, rows: list[IndicatorRow]) -> list[Candidate]:
    """The chosen, non-overlapping candidates of a document, in text order."""
    departments, blocks = find_departments(ctx)
    first = [
        *departments,
        *find_organizations(ctx),
        *find_datasets(ctx),
        *find_policies(ctx),
        *find_projects(ctx),
        *find_list_items(ctx),
        *find_quoted(ctx),
        *indicator_candidates(ctx, rows),
    ]
    chosen = select(first, blocks)
    second = [
        *find_aliases(ctx, chosen),
        *find_group_offices(ctx, chosen),
        *find_owned_quotes(ctx, chosen),
        *find_agreements(ctx, chosen),
    ]
    chosen = select(first + second, blocks)
    third = [
        *find_repeats(ctx, chosen),
        *find_short_names(ctx, chosen),
        *find_institute_short_names(ctx, chosen),
        *find_university_short_names(ctx, chosen),
    ]
    return select(first + second + third, blocks)
