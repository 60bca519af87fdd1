"""The application's queued jobs."""
