"""The application's policies and gate definitions (registered by ``AuthServiceProvider``)."""
