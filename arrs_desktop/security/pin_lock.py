"""The lock screen's PIN check: quick to type, limited to five wrong tries.

Threat model
------------
A PIN of 6 digits has a million values. Were a PIN able to open the data key from the key
file, a copied caseload could be searched for it offline in days even with Argon2id, and the
PIN would be the weakest way in. So **a PIN never opens anything on disk**:

- The key file keeps, per account, only a *PIN verifier* (an Argon2id hash of the PIN) and
  keeps it sealed under the caseload's data key. Someone with a copied file cannot test a
  single PIN against it (and does not learn a PIN reused elsewhere, a phone's or a door's).
- Only a running, signed-in app holds the data key. When the window locks (Ctrl+L, idle),
  the app keeps running and builds this :class:`PinLock` from the verifiers it unsealed at
  sign-in. A PIN typed at the lock screen is checked against them; it unlocks *the window*,
  not the file.
- Wrong PINs are counted **in this object, in memory** and nowhere else: there is no counter
  file to delete or roll back. After 5 wrong PINs (across all accounts: one budget, not five
  per account) every PIN is refused until a passphrase or the recovery key is given
  (:meth:`PinLock.passphrase_given`). Killing the app to reset the count gains nothing: a
  caseload that is not open cannot be opened with a PIN at all, only with a passphrase.
  A right PIN resets the count, as a phone does.

So the PIN guards against **someone at a locked laptop while its owner is away**: five
guesses at a million values, about one chance in 200,000 for a random PIN (more for a
birthday, which is why the PINs people use most are refused when set). The passphrase
guards against **someone with a copy of the files**. Neither guards against someone who can
read the memory of the user's running programs (malware, or the same login with a
debugger): while the app runs, SQLCipher holds the data key in memory to read every page,
so that is the operating system's to prevent (its own login, screen lock and disk
encryption).
"""

from __future__ import annotations

from collections.abc import Mapping

from arrs_desktop.security.errors import PinLockedOutError, WrongPinError, WrongSecretError
from arrs_desktop.security.keyfile import KeyFile, PinVerifier, Unlocked

MAX_WRONG_PINS = 5


class PinLock:
    """Check PINs typed at the lock screen, refusing all of them after five wrong ones."""

    def __init__(self, verifiers: Mapping[str, PinVerifier], *,
                 max_wrong: int = MAX_WRONG_PINS) -> None:
        self._verifiers = dict(verifiers)
        self._max_wrong = max_wrong
        self._wrong = 0

    @classmethod
    def from_key_file(cls, key_file: KeyFile, unlocked: Unlocked, *,
                      max_wrong: int = MAX_WRONG_PINS) -> PinLock:
        """Build the lock from the PIN verifiers a signed-in app unseals with its data key."""
        return cls(key_file.pin_verifiers(unlocked), max_wrong=max_wrong)

    def refresh(self, key_file: KeyFile, unlocked: Unlocked) -> None:
        """Take up PINs set or removed since (the count of wrong PINs is kept)."""
        self._verifiers = key_file.pin_verifiers(unlocked)

    @property
    def wrong_pins(self) -> int:
        """Return how many wrong PINs were typed since the last right one or passphrase."""
        return self._wrong

    @property
    def attempts_left(self) -> int:
        """Return how many more PINs may be tried before a passphrase is needed."""
        return max(0, self._max_wrong - self._wrong)

    @property
    def locked_out(self) -> bool:
        """Return whether PINs are refused until a passphrase is given."""
        return self._wrong >= self._max_wrong

    def has_pin(self, account_id: str) -> bool:
        """Return whether an account has a PIN to unlock with."""
        return account_id in self._verifiers

    def check(self, account_id: str, pin: str) -> None:
        """Accept the account's PIN, or raise WrongPinError / PinLockedOutError.

        A locked-out lock refuses even the right PIN, without checking it.
        """
        if self.locked_out:
            raise PinLockedOutError(
                f"{self._max_wrong} wrong PINs were typed, so the PIN is turned off until "
                "someone signs in with their passphrase.")
        verifier = self._verifiers.get(account_id)
        if verifier is None:
            raise WrongSecretError("This account has no PIN. Unlock with its passphrase.")
        if verifier.matches(pin):
            self._wrong = 0
            return
        self._wrong += 1
        if self.locked_out:
            raise PinLockedOutError(
                f"That PIN is not right. After {self._max_wrong} wrong PINs the PIN is turned "
                "off: unlock with your passphrase.")
        left = self.attempts_left
        raise WrongPinError(
            f"That PIN is not right. {left} more {'try' if left == 1 else 'tries'} before "
            "the passphrase is needed.", attempts_left=left)

    def passphrase_given(self) -> None:
        """Turn PINs back on after a passphrase (or the recovery key) unlocked the window."""
        self._wrong = 0
