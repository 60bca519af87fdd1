"""The application's route files, listed in ``config/app.py`` (``routes``)."""
