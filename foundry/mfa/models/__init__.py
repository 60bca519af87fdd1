"""The MFA battery's tables: recovery codes and the audit trail."""
