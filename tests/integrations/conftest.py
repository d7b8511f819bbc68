from tests.marketplaces.conftest import (  # noqa: F401 - shared fixtures
    _rate_limiter_backend,
    amazon,
    sandbox,
    sandbox_factory,
)
