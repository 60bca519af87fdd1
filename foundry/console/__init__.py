"""Artisan, Foundry's command line (``artisan list``).

Kept empty on purpose: importing this package must stay as cheap as possible, since every
``artisan`` run starts here.
"""

__all__: list[str] = []
