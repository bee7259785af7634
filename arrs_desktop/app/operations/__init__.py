"""The operations: one function per user action that writes, one module per area.

Each takes the open `Store` first, validates, writes in one transaction and returns an
`OpResult` (the value made or saved, and the `Changes`). Refusals are the store's own
exceptions (`ValidationError` naming the fields, `StoreConflictError`, `StoreWriteError`),
raised before anything is written.
"""
