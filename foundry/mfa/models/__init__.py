"""The MFA tables (loaded with every framework table module, so migrations know them)."""

__all__: list[str] = []
