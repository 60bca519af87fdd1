"""The HTTP face of the app: kernel, middleware, controllers, dependencies and error handlers."""

__all__: list[str] = []
