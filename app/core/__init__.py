"""Reference data and cross-cutting records: municipalities and the audit log."""
