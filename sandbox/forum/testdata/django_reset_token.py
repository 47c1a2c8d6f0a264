"""
Computes Django password-reset tokens for fixed inputs, for sandbox/forum/django-token.test.ts.

Django is not installed here, so this re-implements, with the standard library only, the parts of
Django (5.x) that make a token, following its published source:

- django/contrib/auth/tokens.py  PasswordResetTokenGenerator._make_token_with_timestamp,
  _make_hash_value and _num_seconds
- django/utils/crypto.py         salted_hmac (algorithm "sha256")
- django/utils/http.py           int_to_base36, urlsafe_base64_encode

Run:  python3 sandbox/forum/testdata/django_reset_token.py > sandbox/forum/testdata/django-reset-tokens.json
"""

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone

KEY_SALT = "django.contrib.auth.tokens.PasswordResetTokenGenerator"


def salted_hmac(key_salt, value, secret, algorithm="sha256"):
    # django.utils.crypto.salted_hmac: derive the key by hashing salt + secret, then HMAC the value.
    hasher = getattr(hashlib, algorithm)
    key = hasher(key_salt.encode() + secret.encode()).digest()
    return hmac.new(key, msg=value.encode(), digestmod=hasher)


def int_to_base36(i):
    # django.utils.http.int_to_base36
    char_set = "0123456789abcdefghijklmnopqrstuvwxyz"
    if i < 36:
        return char_set[i]
    b36 = ""
    while i != 0:
        i, n = divmod(i, 36)
        b36 = char_set[n] + b36
    return b36


def urlsafe_base64_encode(s):
    # django.utils.http.urlsafe_base64_encode
    return base64.urlsafe_b64encode(s).rstrip(b"\n=").decode("ascii")


def num_seconds(dt):
    # PasswordResetTokenGenerator._num_seconds
    return int((dt - datetime(2001, 1, 1)).total_seconds())


def make_hash_value(pk, password, last_login, timestamp, email):
    # PasswordResetTokenGenerator._make_hash_value
    login_timestamp = "" if last_login is None else last_login.replace(microsecond=0, tzinfo=None)
    email = email or ""
    return f"{pk}{password}{login_timestamp}{timestamp}{email}"


def make_token(secret, pk, password, last_login, timestamp, email):
    # PasswordResetTokenGenerator._make_token_with_timestamp
    ts_b36 = int_to_base36(timestamp)
    hash_string = salted_hmac(
        KEY_SALT, make_hash_value(pk, password, last_login, timestamp, email), secret
    ).hexdigest()[::2]
    return f"{ts_b36}-{hash_string}"


UTC = timezone.utc

CASES = [
    {
        "name": "never logged in",
        "secret": "django-insecure-postlab-fixture-0123456789abcdefghijklmnopqrstuvwxyz",
        "pk": 1,
        "password": "scrypt$16384$Q2hhbmdlTWU$8$5$c2FsdGVkaGFzaA==",
        "last_login": None,
        "now": datetime(2026, 12, 1, 10, 30, 0),
        "email": "learner@example.com",
    },
    {
        "name": "last login with microseconds and a time zone (Django drops both)",
        "secret": "another secret with spaces & symbols !@#$%^",
        "pk": 42,
        "password": "pbkdf2_sha256$1000000$abc$def=",
        "last_login": datetime(2026, 11, 30, 23, 59, 58, 987654, tzinfo=UTC),
        "now": datetime(2026, 12, 1, 0, 0, 5),
        "email": "Mixed.Case@Example.COM",
    },
    {
        "name": "non-ASCII email and secret (UTF-8 bytes)",
        "secret": "비밀-키-SECRET",
        "pk": 7,
        "password": "scrypt$16384$c2FsdA$8$1$aGFzaA==",
        "last_login": datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
        "now": datetime(2025, 1, 5, 3, 4, 5, 500000),
        "email": "학생@예시.한국",
    },
    {
        "name": "no email on the account",
        "secret": "s",
        "pk": 100000,
        "password": "!",
        "last_login": None,
        "now": datetime(2001, 1, 1, 0, 0, 35),
        "email": "",
    },
]


def main():
    out = []
    for case in CASES:
        ts = num_seconds(case["now"])
        last_login = case["last_login"]
        out.append(
            {
                "name": case["name"],
                "secret": case["secret"],
                "pk": case["pk"],
                "password": case["password"],
                # ISO 8601 in UTC with microseconds, as the TypeScript side stores it.
                "lastLogin": None
                if last_login is None
                else last_login.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
                "now": case["now"].replace(tzinfo=UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
                "email": case["email"],
                "timestamp": ts,
                "hashValue": make_hash_value(case["pk"], case["password"], last_login, ts, case["email"]),
                "token": make_token(case["secret"], case["pk"], case["password"], last_login, ts, case["email"]),
                "uidb64": urlsafe_base64_encode(str(case["pk"]).encode()),
            }
        )
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
