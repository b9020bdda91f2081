"""The oscrypto workaround (skill/web/oscrypto_fix.py): the web endpoint imports here, and stays needed."""

from __future__ import annotations

import re
import subprocess
import sys

CHECK = """
import re, ssl, sys
import skill.web.app  # applies the workaround, then imports flask_ask_sdk and its certificate checks
from certvalidator import CertificateValidator  # noqa: F401
from oscrypto._openssl import _libcrypto
print(_libcrypto.libcrypto_version)
print(re.search(r"\\d+\\.\\d+\\.\\d+", ssl.OPENSSL_VERSION).group(0))
"""


def test_the_web_endpoint_imports_in_a_fresh_interpreter_with_the_right_openssl_version() -> None:
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == out[1]


def test_the_workaround_only_widens_the_version_pattern() -> None:
    from skill.web.oscrypto_fix import BROKEN_PATTERN, FIXED_PATTERN

    for version, wanted in [("OpenSSL 3.0.19 27 Jan 2026", "3.0.19"), ("OpenSSL 1.1.1w  11 Sep 2023", "1.1.1w"),
                            ("OpenSSL 3.5.4 30 Sep 2025", "3.5.4")]:
        assert re.search(FIXED_PATTERN, version).group(1) == wanted
    assert re.search(BROKEN_PATTERN, "OpenSSL 3.0.19 27 Jan 2026") is None  # oscrypto 1.3.0's own pattern
