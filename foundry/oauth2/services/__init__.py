"""OAuth2 services: token issuing, authorization consent and the device flow."""
