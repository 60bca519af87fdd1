"""The application's configuration: one module per area, choosing over the framework's defaults."""
