"""Model observers of the application, registered by :mod:`app.observers.provider`."""
