"""Opens an SMTP connection the way Django's SMTP EmailBackend does (django/core/mail/backends/smtp.py,
EmailBackend.open) for each port/TLS pair given on the command line, and prints one JSON line per pair
with the last line of the traceback Django would end with, or null when the connection works.

    python3 django_smtp_pairs.py CAFILE TIMEOUT host:port:use_tls:use_ssl ...

TIMEOUT is EMAIL_TIMEOUT in seconds. Used by django-smtp-outcome.test.ts as the reference for the lab.
"""
import json
import smtplib
import ssl
import sys

cafile, timeout, *pairs = sys.argv[1:]
context = ssl.create_default_context(cafile=cafile)
for pair in pairs:
    host, port, use_tls, use_ssl = pair.split(':')
    use_tls, use_ssl = use_tls == 'True', use_ssl == 'True'
    try:
        if use_tls and use_ssl:
            # Django's own check, before any connection.
            raise ValueError('EMAIL_USE_TLS/EMAIL_USE_SSL are mutually exclusive, so only set one of those settings to True.')
        connection_class = smtplib.SMTP_SSL if use_ssl else smtplib.SMTP
        params = {'timeout': float(timeout)}
        if use_ssl:
            params['context'] = context
        connection = connection_class(host, int(port), **params)
        if use_tls:
            connection.starttls(context=context)
        connection.quit()
        line = None
    except Exception as error:
        module = type(error).__module__
        name = type(error).__qualname__ if module == 'builtins' else f'{module}.{type(error).__qualname__}'
        line = f'{name}: {error}'
    print(json.dumps({'pair': pair, 'exception': line}))
