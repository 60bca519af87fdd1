"""The MFA tables, one module per factor: recovery codes, the audit trail, passkeys, TOTP
and SMS (loaded with every framework table module, so migrations know them)."""

__all__: list[str] = []
