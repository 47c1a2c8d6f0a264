"""Reference for the TypeScript port in sandbox/env-file/django-environ-*.ts.

django-environ itself cannot be installed here (no Python package index), so this script replays the
parts of joke2k/django-environ 0.12.0 `environ/environ.py` that the playground models, with Python's own
`re`, `str.splitlines()`, text-mode newline handling and `int()`: the loop in `Env.read_env`
(parse_comments=False, the default) and the `bool` branch of `Env.parse_value`. The statements below are
transcribed from that source; the test feeds the same inputs to both and compares.

stdin: JSON {"texts": [...], "bools": [...]}; stdout: JSON {"texts": [[line results]], "bools": [...]}.
"""
import io
import json
import re
import sys

BOOLEAN_TRUE_STRINGS = ('true', 'on', 'ok', 'y', 'yes', '1')


def _keep_escaped_format_characters(match):
    escaped_char = match.group(1)
    if escaped_char in 'rnt':
        return '\\' + escaped_char
    return escaped_char


def read_env_lines(text):
    # open(path, encoding='utf8') in text mode: universal newlines, BOM kept.
    content = io.TextIOWrapper(io.BytesIO(text.encode('utf8')), encoding='utf8').read()
    results = []
    for line in content.splitlines():
        m1 = re.match(r'\A(?:export )?([A-Za-z_0-9]+)=(.*)\Z', line)
        if m1:
            key, val = m1.group(1), m1.group(2)
            m2 = re.match(r"\A'(.*)'\Z", val)
            if m2:
                val = m2.group(1)
            m3 = re.match(r'\A"(.*)"\Z', val)
            if m3:
                val = re.sub(r'\\(.)', _keep_escaped_format_characters, m3.group(1))
            results.append({'kind': 'assignment', 'key': key, 'value': str(val)})
        elif not line:
            results.append({'kind': 'blank'})
        elif line.startswith('#'):
            results.append({'kind': 'comment'})
        else:
            results.append({'kind': 'invalid'})
    return results


def parse_bool(value):
    try:
        return int(value) != 0
    except ValueError:
        return value.lower().strip() in BOOLEAN_TRUE_STRINGS


def main():
    request = json.load(sys.stdin)
    json.dump({
        'texts': [read_env_lines(text) for text in request['texts']],
        'bools': [parse_bool(value) for value in request['bools']],
    }, sys.stdout)


main()
