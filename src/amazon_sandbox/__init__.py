"""A faithful local Amazon (SP-API, LWA, Seller Central consent, legacy MWS) for tests,
demos and benchmarks. Imports nothing from colis and needs no files at run time."""
