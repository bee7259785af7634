"""Accounts, secrets and encryption at rest for a caseload (pure Python, no Qt).

- :mod:`.passphrase` — the NCSC-style passphrase policy, strength hint, PIN policy.
- :mod:`.errors` — the refusals, each with a message a care worker can act on.
"""

from arrs_desktop.security.errors import (
    PassphraseRefusedError,
    PinRefusedError,
    SecurityError,
)
from arrs_desktop.security.passphrase import (
    PassphraseCheck,
    Strength,
    check_passphrase,
    pin_problem,
)

__all__ = [
    "PassphraseCheck",
    "PassphraseRefusedError",
    "PinRefusedError",
    "SecurityError",
    "Strength",
    "check_passphrase",
    "pin_problem",
]
