"""The application's form requests."""
