"""The application's event listeners."""
