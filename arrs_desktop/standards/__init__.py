"""The national standards ARRS Desktop speaks, as pure functions over frozen dataclasses.

- `snomed`: SNOMED CT identifiers (Verhoeff check digit, partition identifier).
- `text`: the plain-text rules for wording read from a PCN's files.
- `codes`: code lists a PCN brings (its own CSV, or an NHS England RF2 refset), and which
  codes an episode calls for.
- `measures`: outcome measures a PCN brings as TOML definitions (ONS4 is shipped), their
  scoring and first-to-latest change.
- `records`: one episode's records gathered for the standards below.
- `dataset`: the PRSB Social Prescribing Information Standard's minimum dataset.
- `referral`: a referral in, to the standard's "Referral to social prescribing services"
  model, with the person's safety alerts.
- `gp_message`: the standard's "Message back to GP and referrer".
- `pcsp`: the care and support plan's sections under the PRSB PCSP v2.0 headings.

Nothing here imports Qt, opens a database or reads the store: callers pass plain records
in and get plain values out (docs/standards.md).
"""
