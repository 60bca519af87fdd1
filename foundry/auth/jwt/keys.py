"""The JWT key store: RSA key pairs on disk, loaded once as key objects.

Layout of the keys directory (mode 0700)::

    keys.json           {"current": kid, "retired": [{"kid", "retired_at", "expires_at"}, ...]}
    <kid>.pem           the current signing key (private, PKCS#8 PEM, mode 0600)
    <kid>.pub.pem       a retired key's public half, kept while tokens it signed may be alive

A ``kid`` is the key's RFC 7638 thumbprint. Parsing a PEM is slow (tens of milliseconds), so
:meth:`KeyStore.load` parses each file once and the service keeps the key objects; nothing on the
request path touches the disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from joserfc.jwk import RSAKey

__all__ = ["KeyStore", "KeyStoreError", "MissingKeysError", "VerificationKey"]

MANIFEST = "keys.json"

# Parsed keys by the SHA-256 of their PEM: every application booted in this process (workers,
# commands, tests) shares one parse per key file. Key objects are immutable.
_parsed: dict[bytes, RSAKey] = {}


class KeyStoreError(RuntimeError):
    """The keys directory is unreadable or inconsistent."""


class MissingKeysError(KeyStoreError):
    """There is no signing key (run ``artisan jwt:keys``)."""


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """A public key that still verifies tokens, and until when (``None``: the current key)."""

    kid: str
    key: RSAKey
    expires_at: float | None


class KeyStore:
    """The key pairs in one directory: one current signing key plus retired public keys."""

    def __init__(
        self, path: Path, *, key_size: int = 2048, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = path
        self.key_size = key_size
        self.clock = clock
        #: How many PEM files this store has parsed (each is parsed once per :meth:`load`).
        self.pem_loads = 0
        self._current: RSAKey | None = None
        self._current_kid = ""
        self._verification: dict[str, VerificationKey] = {}

    # -- reading ---------------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether the directory holds a signing key."""
        return self._manifest().get("current") is not None

    def load(self) -> KeyStore:
        """Parse the current key and every retired public key that is still needed."""
        manifest = self._manifest()
        current = manifest.get("current")
        if not isinstance(current, str):
            raise MissingKeysError(f"no JWT signing key in {self.path}: run `artisan jwt:keys`")
        signing = self._read_key(self.path / f"{current}.pem")
        keys = {current: VerificationKey(current, signing, None)}
        now = self.clock()
        for entry in _retired(manifest):
            if entry.expires_at > now:
                public = self._read_key(self.path / f"{entry.kid}.pub.pem")
                keys[entry.kid] = VerificationKey(entry.kid, public, entry.expires_at)
        self._current, self._current_kid, self._verification = signing, current, keys
        return self

    @property
    def signing_key(self) -> RSAKey:
        """The current private key (after :meth:`load`)."""
        if self._current is None:
            raise MissingKeysError("the JWT keys are not loaded")
        return self._current

    @property
    def current_kid(self) -> str:
        """The ``kid`` of the signing key (its thumbprint, the name it is stored under)."""
        if self._current is None:
            raise MissingKeysError("the JWT keys are not loaded")
        return self._current_kid

    def verification_key(self, kid: str) -> RSAKey | None:
        """The public key named ``kid`` if it still verifies tokens, else ``None``."""
        found = self._verification.get(kid)
        if found is None or (found.expires_at is not None and found.expires_at <= self.clock()):
            return None
        return found.key

    def verification_keys(self) -> list[VerificationKey]:
        """Every key that still verifies tokens, the current one first."""
        now = self.clock()
        return [
            k for k in self._verification.values() if k.expires_at is None or k.expires_at > now
        ]

    # -- writing ---------------------------------------------------------------------------------

    def generate(self, *, replace: bool = False) -> str:
        """Write a first key pair and load it; with ``replace``, drop every existing key.

        Replacing invalidates every token signed so far (what you want after a key leaked).

        Raises:
            KeyStoreError: a key exists and ``replace`` is false.
        """
        if self.exists() and not replace:
            raise KeyStoreError(f"a JWT signing key already exists in {self.path}")
        old = self._manifest()
        kid = self._write_private(RSAKey.generate_key(self.key_size))
        self._write_manifest({"current": kid, "retired": []})
        self._remove_unlisted(keep={f"{kid}.pem"}, previous=old)
        self.load()
        return kid

    def rotate(self, retain_for: float) -> str:
        """Make a new signing key; the old public key verifies for ``retain_for`` more seconds.

        Retired keys whose time is up are pruned on the way, and the store is reloaded (processes
        that loaded the keys earlier keep signing with the old key until they restart). Returns
        the new ``kid``.
        """
        manifest = self._manifest()
        old = manifest.get("current")
        if not isinstance(old, str):
            raise MissingKeysError(f"no JWT signing key in {self.path}: run `artisan jwt:keys`")
        now = self.clock()
        old_key = self._read_key(self.path / f"{old}.pem")
        _write_file(self.path / f"{old}.pub.pem", old_key.as_pem(private=False), 0o644)
        kid = self._write_private(RSAKey.generate_key(self.key_size))
        retired = [e for e in _retired(manifest) if e.kid != old]
        retired.append(_Retired(old, now, now + retain_for))
        self._write_manifest({"current": kid, "retired": [e.as_json() for e in retired]})
        (self.path / f"{old}.pem").unlink(missing_ok=True)
        self.prune()
        self.load()
        return kid

    def prune(self) -> list[str]:
        """Delete retired keys no token can need any more; returns their ``kid``s."""
        manifest = self._manifest()
        now = self.clock()
        retired = _retired(manifest)
        keep = [e.as_json() for e in retired if e.expires_at > now]
        gone = [e.kid for e in retired if e.expires_at <= now]
        if gone:
            self._write_manifest({"current": manifest.get("current"), "retired": keep})
            for kid in gone:
                (self.path / f"{kid}.pub.pem").unlink(missing_ok=True)
                self._verification.pop(kid, None)
        return gone

    # -- files -----------------------------------------------------------------------------------

    def _manifest(self) -> dict[str, object]:
        try:
            data = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise KeyStoreError(f"cannot read {self.path / MANIFEST}: {exc}") from None
        if not isinstance(data, dict):
            raise KeyStoreError(f"{self.path / MANIFEST} is not a JSON object")
        return data

    def _write_manifest(self, manifest: dict[str, object]) -> None:
        _write_file(self.path / MANIFEST, json.dumps(manifest, indent=2).encode(), 0o644)

    def _write_private(self, key: RSAKey) -> str:
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        kid = key.thumbprint()
        _write_file(self.path / f"{kid}.pem", key.as_pem(private=True), 0o600)
        return kid

    def _read_key(self, file: Path) -> RSAKey:
        try:
            pem = file.read_bytes()
        except OSError as exc:
            raise KeyStoreError(f"cannot read JWT key {file.name}: {exc.strerror}") from None
        digest = hashlib.sha256(pem).digest()
        key = _parsed.get(digest)
        if key is None:
            self.pem_loads += 1
            key = _parsed[digest] = RSAKey.import_key(pem)
        return key

    def _remove_unlisted(self, keep: set[str], previous: dict[str, object]) -> None:
        names = [f"{previous.get('current')}.pem"]
        names += [f"{e.kid}.pub.pem" for e in _retired(previous)]
        for name in names:
            if name not in keep:
                (self.path / name).unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class _Retired:
    kid: str
    retired_at: float
    expires_at: float

    def as_json(self) -> dict[str, object]:
        return {"kid": self.kid, "retired_at": self.retired_at, "expires_at": self.expires_at}


def _retired(manifest: dict[str, object]) -> list[_Retired]:
    entries = manifest.get("retired")
    if not isinstance(entries, list):
        return []
    try:
        return [
            _Retired(str(e["kid"]), float(e["retired_at"]), float(e["expires_at"]))
            for e in entries
            if isinstance(e, dict)
        ]
    except (KeyError, TypeError, ValueError):
        raise KeyStoreError(f"{MANIFEST} lists a retired key without kid or times") from None


def _write_file(path: Path, data: bytes, mode: int) -> None:
    """Write atomically (a temporary file renamed over ``path``), created with ``mode``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    os.replace(tmp, path)
