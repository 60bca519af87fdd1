"""Notifications (Laravel's): one message, delivered over the channels a notification names.

A :class:`Notification` says which channels it goes out on (``via``) and builds each channel's
message (``to_mail``, ``to_database``, ``to_sms``...); a :class:`NotificationChannel` delivers it
to a notifiable's route for that channel.
"""

from foundry.notifications.channel import NotificationChannel
from foundry.notifications.notification import Notification, Routable

__all__ = ["Notification", "NotificationChannel", "Routable"]
