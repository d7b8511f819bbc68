from .web import Ctx, Result, not_found


def search_catalog_items(ctx: Ctx) -> Result:
    raise not_found()


def get_catalog_item(ctx: Ctx) -> Result:
    raise not_found()


def get_listings_item(ctx: Ctx) -> Result:
    raise not_found()
