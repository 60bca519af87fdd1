"""Notifications (Laravel's): one message, delivered over the channels a notification names.

A :class:`Notification` says which channels it goes out on (``via``) and builds each channel's
message (``to_mail``, ``to_database``, ``to_sms``...); a :class:`NotificationChannel` delivers it
to a notifiable's route for that channel.

```python
await user.notify(InvoicePaid(invoice_id=7))                 # a model with Notifiable
await Notification.send(users, InvoicePaid(invoice_id=7))
await Notification.route("mail", "a@example.com").notify(InvoicePaid(invoice_id=7))
fake = Notification.fake()
fake.assert_sent_to(user, InvoicePaid)
```
"""

from foundry.notifications.anonymous import AnonymousNotifiable
from foundry.notifications.channel import NotificationChannel
from foundry.notifications.errors import NotificationError, UnknownChannelError
from foundry.notifications.events import NotificationFailed, NotificationSending, NotificationSent
from foundry.notifications.facade import Notifications
from foundry.notifications.fake import NotificationFake, RecordedNotification
from foundry.notifications.mail_message import MailMessage, NotificationMail
from foundry.notifications.models import DatabaseNotification
from foundry.notifications.notifiable import Notifiable
from foundry.notifications.notification import Notification, Routable
from foundry.notifications.queued import SendQueuedNotification
from foundry.notifications.registry import ChannelRegistry
from foundry.notifications.sender import NotificationSender

# Register the session hooks: a deleted notifiable's stored notifications and push subscriptions
# are deleted with it.
from foundry.notifications import notifiable_rows  # noqa: F401  # isort: skip

__all__ = [
    "AnonymousNotifiable",
    "ChannelRegistry",
    "DatabaseNotification",
    "MailMessage",
    "Notifiable",
    "Notification",
    "NotificationChannel",
    "NotificationError",
    "NotificationFailed",
    "NotificationFake",
    "NotificationMail",
    "NotificationSender",
    "NotificationSending",
    "NotificationSent",
    "Notifications",
    "RecordedNotification",
    "Routable",
    "SendQueuedNotification",
    "UnknownChannelError",
]
