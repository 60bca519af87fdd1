"""The application's artisan commands: each module with ``NAME``, ``HELP`` and ``handle``
is found without being listed (``artisan make:command`` writes them here)."""
