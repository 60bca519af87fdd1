"""The application's feature tests (HTTP)."""
