"""The application's model observers."""
