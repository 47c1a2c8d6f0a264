"""
Prints, as JSON, the password-reset tokens real Django makes for fixed inputs, for
sandbox/forum/django-token.test.ts, which runs it on every test run.

Django's own PasswordResetTokenGenerator does the work (Debian's python3-django, 3.2, which .ci/run
installs). Its token has been made the same way from 3.1 to today's 6.x: sha256 salted_hmac over
pk + password hash + last login (no microseconds, no zone) + seconds since 2001 + email, every second
hex digit, after the base-36 timestamp. Run: /usr/bin/python3 sandbox/forum/testdata/django_reset_token.py
"""

import json
from datetime import datetime, timezone

import django
from django.conf import settings

settings.configure(SECRET_KEY="unused: each case passes its own")
django.setup()

from django.contrib.auth.tokens import PasswordResetTokenGenerator  # noqa: E402
from django.utils.encoding import force_bytes  # noqa: E402
from django.utils.http import urlsafe_base64_encode  # noqa: E402

UTC = timezone.utc


class User:
    """The attributes the generator reads from a user (AbstractBaseUser's, without a database)."""

    EMAIL_FIELD = "email"

    def __init__(self, pk, password, last_login, email):
        self.pk = pk
        self.password = password
        self.last_login = last_login
        self.email = email

    @classmethod
    def get_email_field_name(cls):
        return cls.EMAIL_FIELD


class FixedClock(PasswordResetTokenGenerator):
    def __init__(self, secret, now):
        super().__init__()
        self.secret = secret
        self.now = now

    def _now(self):
        return self.now


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


def iso(dt):
    # ISO 8601 in UTC with microseconds, as the TypeScript side stores dates.
    return dt.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def main():
    out = []
    for case in CASES:
        user = User(case["pk"], case["password"], case["last_login"], case["email"])
        generator = FixedClock(case["secret"], case["now"])
        timestamp = generator._num_seconds(case["now"])
        out.append(
            {
                "name": case["name"],
                "django": django.get_version(),
                "secret": case["secret"],
                "pk": case["pk"],
                "password": case["password"],
                "lastLogin": None if case["last_login"] is None else iso(case["last_login"]),
                "now": iso(case["now"].replace(tzinfo=UTC)),
                "email": case["email"],
                "timestamp": timestamp,
                "hashValue": generator._make_hash_value(user, timestamp),
                "token": generator.make_token(user),
                "uidb64": urlsafe_base64_encode(force_bytes(case["pk"])),
            }
        )
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
