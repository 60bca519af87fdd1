"""The application's events."""
