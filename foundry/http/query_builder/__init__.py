"""A Spatie-style query builder: filters, sorts, includes and sparse fields from the URL."""

from foundry.http.query_builder.builder import QueryBuilder
from foundry.http.query_builder.filters import AllowedFilter, FilterFunction
from foundry.http.query_builder.params import QueryParameters, parse_query_parameters
from foundry.http.query_builder.sorts import AllowedSort, NullsPosition, SortFunction

__all__ = [
    "AllowedFilter",
    "AllowedSort",
    "FilterFunction",
    "NullsPosition",
    "QueryBuilder",
    "QueryParameters",
    "SortFunction",
    "parse_query_parameters",
]
