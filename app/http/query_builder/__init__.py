"""A Spatie-style query builder: filters, sorts, includes and sparse fields from the URL."""

from app.http.query_builder.builder import QueryBuilder
from app.http.query_builder.filters import AllowedFilter, FilterFunction
from app.http.query_builder.params import QueryParameters, parse_query_parameters
from app.http.query_builder.sorts import AllowedSort, SortFunction

__all__ = [
    "AllowedFilter",
    "AllowedSort",
    "FilterFunction",
    "QueryBuilder",
    "QueryParameters",
    "SortFunction",
    "parse_query_parameters",
]
