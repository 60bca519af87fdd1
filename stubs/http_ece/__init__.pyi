# The part of http_ece 1.2.1 Foundry uses (RFC 8188 / RFC 8291 content encoding).
from cryptography.hazmat.primitives.asymmetric import ec

class ECEException(Exception): ...

def encrypt(
    content: bytes,
    salt: bytes | None = None,
    key: bytes | None = None,
    private_key: ec.EllipticCurvePrivateKey | None = None,
    dh: bytes | None = None,
    auth_secret: bytes | None = None,
    keyid: str | None = None,
    keylabel: str = "P-256",
    rs: int = 4096,
    version: str = "aes128gcm",
) -> bytes: ...
def decrypt(
    content: bytes,
    salt: bytes | None = None,
    key: bytes | None = None,
    private_key: ec.EllipticCurvePrivateKey | None = None,
    dh: bytes | None = None,
    auth_secret: bytes | None = None,
    keyid: str | None = None,
    keylabel: str = "P-256",
    rs: int = 4096,
    version: str = "aes128gcm",
) -> bytes: ...
