"""The mail battery: ``Mailable`` classes sent through named mailers (smtp, log, array).

```python
await Mail.to("ada@example.com").send(WelcomeMail(user_name="Ada"))
await Mail.mailer("smtp").send(InvoiceMail(invoice).to("billing@example.com"))
fake = Mail.fake()
fake.assert_sent(WelcomeMail, lambda mail: mail.has_to("ada@example.com"))
```
"""

from __future__ import annotations

from foundry.kernel.facades import facade
from foundry.mail.address import Address, AddressLike, parse_address
from foundry.mail.array_mailer import ArrayMailer
from foundry.mail.attachment import Attachment
from foundry.mail.errors import (
    InvalidAddressError,
    MailError,
    MailTemplateError,
    MailTransportError,
    UnknownMailerError,
)
from foundry.mail.fake import MailFake
from foundry.mail.log_mailer import LogMailer
from foundry.mail.mailable import Mailable
from foundry.mail.mailer import Mailer, PendingMail
from foundry.mail.manager import MailerFactory, MailManager
from foundry.mail.message import Envelope, MessageBuilder, SentMessage
from foundry.mail.smtp_mailer import SmtpMailer
from foundry.mail.views import MailViews

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
