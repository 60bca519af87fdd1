"""The built-in artisan commands, one module per area; ``app.console.manifest`` names them."""

__all__: list[str] = []
