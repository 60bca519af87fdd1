"""``python -m foundry.console``: the same as the ``artisan`` script."""

from foundry.console.entry import main

raise SystemExit(main())
