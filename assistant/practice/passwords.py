"""The admin password, stored only as a hash (scrypt, from the standard library).

Make the hash for PA_ADMIN_PASSWORD_HASH with

    python -m assistant.practice.passwords          (asks for the password twice)

and set it in the app's environment. The format is
`scrypt$<n>$<r>$<p>$<salt, base64>$<hash, base64>`.
"""
from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import secrets
import sys
from typing import Optional

N, R, P = 2 ** 14, 8, 1  # scrypt cost: about 20 ms and 16 MB per check


def hash_password(password: str, salt: Optional[bytes] = None) -> str:
    """A storable hash of `password` with a fresh random salt."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return "$".join(["scrypt", str(N), str(R), str(P), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def verify_password(password: str, stored: Optional[str]) -> bool:
    """Whether `password` matches the stored hash; False for no hash or a malformed one."""
    try:
        scheme, n, r, p, salt, digest = (stored or "").split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def main() -> int:
    first = getpass.getpass("Admin password: ")
    if len(first) < 10:
        print("Use at least 10 characters.", file=sys.stderr)
        return 1
    if getpass.getpass("Again: ") != first:
        print("The two passwords differ.", file=sys.stderr)
        return 1
    print(f"PA_ADMIN_PASSWORD_HASH='{hash_password(first)}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
