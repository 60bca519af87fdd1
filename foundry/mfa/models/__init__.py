"""The MFA tables: recovery codes, the audit trail and passkeys (loaded with every framework
table module, so migrations know them)."""

__all__: list[str] = []
