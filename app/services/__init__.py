"""Use cases: each public method is a unit of work that commits (DESIGN.md, thin controllers)."""
