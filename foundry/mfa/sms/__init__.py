"""SMS codes: a phone as a second factor.

Enrol a number (``SmsService.enrol`` texts a code), confirm it with that code, then
``SmsFactor`` texts a fresh code at each challenge. Codes are HMACs at rest, live five minutes,
are good once, and sending is rate limited per user and per number.
"""

from foundry.mfa.sms.codes import SmsCodes
from foundry.mfa.sms.errors import SmsNotSentError
from foundry.mfa.sms.factor import SmsFactor
from foundry.mfa.sms.notification import PhoneRoute, SmsCodeNotification
from foundry.mfa.sms.service import SentCode, SmsService

__all__ = [
    "PhoneRoute",
    "SentCode",
    "SmsCodeNotification",
    "SmsCodes",
    "SmsFactor",
    "SmsNotSentError",
    "SmsService",
]
