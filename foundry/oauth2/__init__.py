"""The OAuth2 server: grants, clients, tokens, consent and the device flow (on authlib)."""
