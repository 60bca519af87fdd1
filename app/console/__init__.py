"""The application's console layer."""
