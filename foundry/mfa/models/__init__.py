"""The tables of multi-factor authentication, one module per factor."""
