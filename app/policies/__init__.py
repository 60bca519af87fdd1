"""The application's authorization policies."""
