"""Foundry: a batteries-included, fully typed, Laravel-style web framework on FastAPI."""
