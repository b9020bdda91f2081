"""The one workaround for oscrypto 1.3.0 on this platform.

ask-sdk-webservice-support checks Alexa's certificate chain with certvalidator, which loads oscrypto. oscrypto
1.3.0 (the newest on PyPI) finds the OpenSSL version with the pattern `\\b(\\d\\.\\d\\.\\d[a-z]*)\\b`, which cannot
match a two-digit patch such as "OpenSSL 3.0.19", and raises LibraryNotFoundError at import. Upstream changed
the pattern to `\\d+` digits after 1.3.0 but has not released it. `load_oscrypto()` imports oscrypto's libcrypto
binding once with that corrected pattern; nothing else about oscrypto changes. Remove this module when an
oscrypto release carries the fix (tests/unit/test_web_oscrypto.py says whether it is still needed).
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

BROKEN_PATTERN = "\\b(\\d\\.\\d\\.\\d[a-z]*)\\b"
FIXED_PATTERN = "\\b(\\d+\\.\\d+\\.\\d+[a-z]*)\\b"
LIBCRYPTO = "oscrypto._openssl._libcrypto"
_lock = threading.Lock()


def load_oscrypto() -> None:
    """Import oscrypto's OpenSSL binding so that it works with any OpenSSL 1.x or 3.x version string."""
    with _lock:
        if LIBCRYPTO in sys.modules or sys.platform in ("win32", "darwin"):
            return  # already loaded, or a platform where oscrypto does not use OpenSSL
        original = re.search

        def search(pattern: Any, string: Any, flags: int = 0) -> Any:
            return original(FIXED_PATTERN if pattern == BROKEN_PATTERN else pattern, string, flags)

        re.search = search
        try:
            __import__(LIBCRYPTO)
        finally:
            re.search = original
