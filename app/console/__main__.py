"""``python -m app.console``: the same as the ``artisan`` script."""

from app.console.entry import main

raise SystemExit(main())
