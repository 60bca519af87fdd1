"""The application's service providers, listed in ``config/app.py``."""
