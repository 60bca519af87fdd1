"""The application's controllers."""
