"""The application's API resources."""
