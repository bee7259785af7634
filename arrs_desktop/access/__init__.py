"""Signing in to a caseload: sessions, the encrypted connector, conversion of plain files.

This joins the key store (`arrs_desktop.security`) to the store (`arrs_desktop.store`):

- :mod:`.connector` — `EncryptedConnector`, the store's connections over SQLCipher with the
  data key a sign-in unlocked;
- :mod:`.session` — `Session` (who signed in, with which key), `create_caseload`,
  `sign_in`, `sign_in_with_recovery_key`, `restore_key_file`;
- :mod:`.conversion` — a plain caseload made by an earlier version, backed up, exported
  into a new encrypted file, checked and swapped in; its plain backups converted or deleted;
- :mod:`.secret_source` — where a command finds a passphrase (`--passphrase-file`,
  `ARRS_PASSPHRASE`, a prompt on a terminal).
"""
