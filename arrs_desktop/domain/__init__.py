"""The domain: the caseload's data and rules as pure Python (no SQL, no Qt, no files but the
shipped rules): catalogue, records, validation, role matching, GP codes, episode rules."""
