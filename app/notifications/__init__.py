"""The application's notifications (``artisan make:notification`` writes them here)."""

from app.notifications.welcome_notification import WelcomeNotification

__all__ = ["WelcomeNotification"]
