"""``Mailable``: one kind of email, with its subject, recipients, templates and attachments.

```python
@dataclass
class WelcomeMail(Mailable):
    user_name: str
    subject = "Welcome to Foundry"
    html_template = "emails/welcome.html.j2"
    text_template = "emails/welcome.txt.j2"

await Mail.to("ada@example.com").send(WelcomeMail(user_name="Ada"))
```

Templates receive :meth:`Mailable.context` (by default the mailable's public attributes) plus
``subject``. Subclasses may be dataclasses or plain classes; they need not call
``super().__init__()``, since the recipients and attachments are created on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from foundry.mail.address import Address, AddressLike
from foundry.mail.attachment import Attachment

__all__ = ["Mailable", "MailableParts", "PendingAddress"]

_PARTS = "_foundry_mail_parts"

#: An address as given, with an optional name, validated when the message is built.
PendingAddress = tuple[AddressLike, str | None]


@dataclass(slots=True)
class MailableParts:
    """What a mailable collects before it is built: addresses as given, and attachments."""

    to: list[PendingAddress] = field(default_factory=list)
    cc: list[PendingAddress] = field(default_factory=list)
    bcc: list[PendingAddress] = field(default_factory=list)
    reply_to: list[PendingAddress] = field(default_factory=list)
    sender: PendingAddress | None = None
    subject: str | None = None
    attachments: list[Attachment] = field(default_factory=list)


class Mailable:
    """Base class of every email the app sends; see the module docstring."""

    #: The subject line; :meth:`with_subject` overrides it for one instance.
    subject: str = ""
    #: The HTML template, relative to ``resources/views`` (``emails/welcome.html.j2``).
    html_template: str | None = None
    #: The plain-text template; optional, but mail clients and spam filters like having one.
    text_template: str | None = None

    @property
    def parts(self) -> MailableParts:
        """Recipients, sender, subject override and attachments set on this instance."""
        parts = self.__dict__.get(_PARTS)
        if parts is None:
            parts = self.__dict__[_PARTS] = MailableParts()
        assert isinstance(parts, MailableParts)
        return parts

    # -- building ------------------------------------------------------------------------------

    def to(self, address: AddressLike, name: str | None = None) -> Self:
        """Add a ``To`` recipient."""
        self.parts.to.append((address, name))
        return self

    def cc(self, address: AddressLike, name: str | None = None) -> Self:
        """Add a ``Cc`` recipient."""
        self.parts.cc.append((address, name))
        return self

    def bcc(self, address: AddressLike, name: str | None = None) -> Self:
        """Add a blind copy: in the envelope, never in a header."""
        self.parts.bcc.append((address, name))
        return self

    def reply_to(self, address: AddressLike, name: str | None = None) -> Self:
        """Add a ``Reply-To`` address."""
        self.parts.reply_to.append((address, name))
        return self

    def from_(self, address: AddressLike, name: str | None = None) -> Self:
        """Send from ``address`` instead of ``MAIL_FROM_ADDRESS``/``MAIL_FROM_NAME``."""
        self.parts.sender = (address, name)
        return self

    def with_subject(self, subject: str) -> Self:
        """Use ``subject`` for this instance instead of the class's."""
        self.parts.subject = subject
        return self

    def attach(
        self, path: str | Path, *, name: str | None = None, mime_type: str | None = None
    ) -> Self:
        """Attach the file at ``path`` (read now; MIME type guessed from the name if not given)."""
        self.parts.attachments.append(Attachment.from_path(path, name, mime_type))
        return self

    def attach_data(self, content: bytes, name: str, *, mime_type: str | None = None) -> Self:
        """Attach ``content`` under the file name ``name``."""
        self.parts.attachments.append(Attachment.from_data(content, name, mime_type))
        return self

    # -- what templates and assertions see ----------------------------------------------------

    def build_subject(self) -> str:
        """The subject this instance will be sent with."""
        return self.parts.subject if self.parts.subject is not None else self.subject

    def context(self) -> dict[str, Any]:
        """The template variables: by default every public instance attribute."""
        return {key: value for key, value in vars(self).items() if not key.startswith("_")}

    def has_to(self, address: str) -> bool:
        """Whether ``address`` is among the ``To`` recipients (case-insensitive)."""
        return _has(self.parts.to, address)

    def has_cc(self, address: str) -> bool:
        """Whether ``address`` is among the ``Cc`` recipients (case-insensitive)."""
        return _has(self.parts.cc, address)

    def has_bcc(self, address: str) -> bool:
        """Whether ``address`` is among the blind copies (case-insensitive)."""
        return _has(self.parts.bcc, address)

    def has_attachment(self, name: str) -> bool:
        """Whether a file called ``name`` is attached."""
        return any(attachment.filename == name for attachment in self.parts.attachments)


def _has(addresses: list[PendingAddress], wanted: str) -> bool:
    wanted = wanted.strip().lower()
    for address, _ in addresses:
        email = address.email if isinstance(address, Address) else address
        if email.strip().lower() == wanted or email.lower().endswith(f"<{wanted}>"):
            return True
    return False
