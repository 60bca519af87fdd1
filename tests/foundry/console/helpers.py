"""The console tests' artisan runners, shared with the application's suite (``tests/support``)."""

from tests.support.artisan import artisan, artisan_process

__all__ = ["artisan", "artisan_process"]
