"""Carrier connectors (entry points of the `colis.carriers` group): karrio underneath.

Only these modules import karrio. Services reach them through `colis.shipping.ports`.
"""
