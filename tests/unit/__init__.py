"""The application's unit tests."""
