"""The SMS battery: text messages through named drivers (log, array, twilio).

```python
await Sms.send("+14155550123", "Your table is ready.")
await Sms.driver("twilio").send("+14155550123", SmsMessage("Hi", from_="Foundry"))
fake = Sms.fake()
fake.assert_sent_to("+14155550123", lambda sms: "ready" in sms.content)
```

Notifications reach it through the ``sms`` channel
(:class:`foundry.notifications.channels.sms.SmsChannel`): a notification's ``to_sms`` returns an
:class:`SmsMessage`.
"""

from __future__ import annotations

from foundry.kernel.facades import facade
from foundry.sms.array_driver import ArrayDriver
from foundry.sms.driver import SmsDriver
from foundry.sms.errors import (
    InvalidPhoneNumberError,
    SmsConfigurationError,
    SmsError,
    SmsTransportError,
    UnknownSmsDriverError,
)
from foundry.sms.fake import SmsFake
from foundry.sms.log_driver import LogDriver
from foundry.sms.manager import SmsDriverFactory, SmsManager
from foundry.sms.message import SentSms, SmsMessage
from foundry.sms.phone import E164_MESSAGE, check_e164, is_e164, mask_phone
from foundry.sms.twilio_driver import TwilioDriver

__all__ = [
    "E164_MESSAGE",
    "ArrayDriver",
    "InvalidPhoneNumberError",
    "LogDriver",
    "SentSms",
    "Sms",
    "SmsConfigurationError",
    "SmsDriver",
    "SmsDriverFactory",
    "SmsError",
    "SmsFake",
    "SmsManager",
    "SmsMessage",
    "SmsTransportError",
    "TwilioDriver",
    "UnknownSmsDriverError",
    "check_e164",
    "is_e164",
    "mask_phone",
]

#: The SMS manager of the running app, typed as :class:`SmsManager`.
Sms: SmsManager = facade(SmsManager)
