"""The built-in artisan commands, one module per area; ``foundry.console.manifest`` names them."""

__all__: list[str] = []
