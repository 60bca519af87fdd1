"""The mail battery: ``Mailable`` classes sent through named mailers (smtp, log, array).

```python
await Mail.to("ada@example.com").send(WelcomeMail(user_name="Ada"))
await Mail.mailer("smtp").send(InvoiceMail(invoice).to("billing@example.com"))
fake = Mail.fake()
fake.assert_sent(WelcomeMail, lambda mail: mail.has_to("ada@example.com"))
```
"""

from __future__ import annotations

from app.mail.address import Address, AddressLike, parse_address
from app.mail.array_mailer import ArrayMailer
from app.mail.attachment import Attachment
from app.mail.errors import (
    InvalidAddressError,
    MailError,
    MailTemplateError,
    MailTransportError,
    UnknownMailerError,
)
from app.mail.fake import MailFake
from app.mail.log_mailer import LogMailer
from app.mail.mailable import Mailable
from app.mail.mailer import Mailer, PendingMail
from app.mail.manager import MailerFactory, MailManager
from app.mail.message import Envelope, MessageBuilder, SentMessage
from app.mail.smtp_mailer import SmtpMailer
from app.mail.views import MailViews
from app.support.facades import facade

__all__ = [
    "Address",
    "AddressLike",
    "ArrayMailer",
    "Attachment",
    "Envelope",
    "InvalidAddressError",
    "LogMailer",
    "Mail",
    "MailError",
    "MailFake",
    "MailManager",
    "MailTemplateError",
    "MailTransportError",
    "MailViews",
    "Mailable",
    "Mailer",
    "MailerFactory",
    "MessageBuilder",
    "PendingMail",
    "SentMessage",
    "SmtpMailer",
    "UnknownMailerError",
    "parse_address",
]

#: The mail manager of the running app, typed as :class:`MailManager`.
Mail: MailManager = facade(MailManager)
