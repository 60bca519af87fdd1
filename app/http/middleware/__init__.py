"""The application's middleware."""
