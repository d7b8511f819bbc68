"""Shipping: carriers (through karrio, behind `ports.py`), shipping methods, parcels, labels."""
