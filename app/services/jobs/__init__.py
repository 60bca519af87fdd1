"""Queued jobs of the app's use cases (``artisan make:job`` puts yours in ``app/jobs/``)."""

from app.services.jobs.send_password_reset_link import SendPasswordResetLink

__all__ = ["SendPasswordResetLink"]
