"""Buyer PII retention: purge after the retention window, offline tax archive, audit trails."""
