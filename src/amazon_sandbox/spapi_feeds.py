from starlette.requests import Request
from starlette.responses import Response

from .web import Ctx, Result, not_found


def create_feed_document(ctx: Ctx) -> Result:
    raise not_found()


def get_feed_document(ctx: Ctx) -> Result:
    raise not_found()


def create_feed(ctx: Ctx) -> Result:
    raise not_found()


def get_feed(ctx: Ctx) -> Result:
    raise not_found()


def get_authorization_code(ctx: Ctx) -> Result:
    raise not_found()


async def document_content(request: Request) -> Response:
    return Response(status_code=404)
