"""`manage.py vapid_keys`: a key pair that pywebpush signs with and a browser takes as its applicationServerKey."""

from io import StringIO

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from py_vapid import Vapid

from tests.notifications.fakes import b64url_decode


def test_it_prints_a_matching_p256_pair_in_the_form_the_settings_take():
    out = StringIO()
    call_command("vapid_keys", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    public, private = lines["VAPID_PUBLIC_KEY"], lines["VAPID_PRIVATE_KEY"]

    raw_public = b64url_decode(public)
    assert len(raw_public) == 65 and raw_public[0] == 4  # the uncompressed point a browser wants
    assert len(b64url_decode(private)) == 32
    derived = Vapid.from_string(private_key=private).public_key
    point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw_public)
    assert derived.public_numbers() == point.public_numbers()


def test_two_runs_give_two_pairs():
    first, second = StringIO(), StringIO()
    call_command("vapid_keys", stdout=first)
    call_command("vapid_keys", stdout=second)
    assert first.getvalue() != second.getvalue()
