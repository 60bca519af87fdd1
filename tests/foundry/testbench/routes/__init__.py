"""The test application's route files, listed in its ``config/app.py``."""
