"""The tables of authentication: refresh tokens and password reset tokens."""
