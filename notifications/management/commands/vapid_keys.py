"""`manage.py vapid_keys`: a new VAPID key pair for Web Push, printed as the two environment lines to set.

The public key is the browser's `applicationServerKey` (the uncompressed P-256 point, URL-safe base64, as
base.html's <meta name="vapid-public-key"> gives it); the private key is the raw 32-byte scalar, URL-safe base64.
Changing the pair invalidates every browser's subscription: they subscribe again on their next visit.
"""

import base64

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.management.base import BaseCommand


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def vapid_key_pair() -> tuple[str, str]:
    """(public, private), each URL-safe base64 without padding."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return b64url(public), b64url(private)


class Command(BaseCommand):
    help = "Prints a new VAPID key pair for Web Push as VAPID_PUBLIC_KEY=… and VAPID_PRIVATE_KEY=… lines."

    def handle(self, *args: object, **options: object) -> None:
        public, private = vapid_key_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
