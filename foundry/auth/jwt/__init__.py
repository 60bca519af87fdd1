"""RS256 access tokens: the key store, the JWT service, and the revocation denylist.

```python
from foundry.auth.jwt import JwtService

issued = jwt.issue(str(user.id), claims={"sid": session_id})   # IssuedToken
claims = await jwt.authenticate(issued.token)                    # TokenClaims, or InvalidTokenError
await jwt.revoke(claims, db)                                      # logout: on the denylist
await db.commit()                                                 # ...and in revoked_tokens
```
"""

from foundry.auth.jwt.denylist import TokenDenylist
from foundry.auth.jwt.keys import KeyStore, KeyStoreError, MissingKeysError, VerificationKey
from foundry.auth.jwt.service import ALGORITHM, JwtService
from foundry.auth.jwt.tokens import InvalidTokenError, IssuedToken, TokenClaims

__all__ = [
    "ALGORITHM",
    "InvalidTokenError",
    "IssuedToken",
    "JwtService",
    "KeyStore",
    "KeyStoreError",
    "MissingKeysError",
    "TokenClaims",
    "TokenDenylist",
    "VerificationKey",
]
