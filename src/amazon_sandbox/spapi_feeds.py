"""Feeds 2021-06-30 (POST_ORDER_FULFILLMENT_DATA) and the Authorization API."""

from __future__ import annotations

import itertools
import logging
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .clock import iso
from .constants import ALL_MARKETPLACE_IDS
from .feedxml import count_messages, process_feed, processing_report
from .state import Sandbox
from .web import ApiError, Ctx, Result, invalid, not_found, ok

log = logging.getLogger(__name__)
FEED_TYPES = frozenset({"POST_ORDER_FULFILLMENT_DATA"})
QUEUE_SECONDS = 5.0  # IN_QUEUE, then IN_PROGRESS until PROCESSING_SECONDS, then DONE
PROCESSING_SECONDS = 30.0
_ids = itertools.count(50_001_000_000)


def new_document(
    sb: Sandbox, content_type: str, content: bytes | None, kind: str
) -> dict[str, Any]:
    doc_id = f"amzn1.tortuga.4.eu.{uuid.uuid4()}"
    doc = {
        "feedDocumentId": doc_id,
        "contentType": content_type,
        "content": content,
        "kind": kind,
        "created": iso(sb.clock.now()),
    }
    sb.feed_documents[doc_id] = doc
    return doc


def document_url(sb: Sandbox, doc_id: str) -> str:
    return f"{sb.base_url}/_documents/{doc_id}"


def create_feed_document(ctx: Ctx) -> Result:
    body = ctx.json_body()
    if not isinstance(body, dict) or not body.get("contentType"):
        raise invalid("Missing required field: contentType.")
    doc = new_document(ctx.sandbox, str(body["contentType"]), None, "input")
    return ok(
        {
            "feedDocumentId": doc["feedDocumentId"],
            "url": document_url(ctx.sandbox, doc["feedDocumentId"]),
        },
        201,
    )


async def document_content(request: Request) -> Response:
    """The pre-signed upload/download URL of a feed document (no SP-API auth, like S3)."""
    sb: Sandbox = request.app.state.sandbox
    doc = sb.feed_documents.get(request.path_params["document_id"])
    if doc is None:
        return Response(b"<Error><Code>NoSuchKey</Code></Error>", 404, media_type="application/xml")
    if request.method == "PUT":
        if doc["kind"] != "input":
            return Response(
                b"<Error><Code>AccessDenied</Code></Error>", 403, media_type="application/xml"
            )
        doc["content"] = await request.body()
        doc["uploadedContentType"] = request.headers.get("content-type", "")
        sb.record_call("feeds.upload", 200, seller=None, path=request.url.path)
        return Response(b"", 200)
    if doc["content"] is None:
        return Response(b"<Error><Code>NoSuchKey</Code></Error>", 404, media_type="application/xml")
    return Response(doc["content"], 200, media_type=str(doc["contentType"]))


def create_feed(ctx: Ctx) -> Result:
    body = ctx.json_body()
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.")
    missing = [k for k in ("feedType", "marketplaceIds", "inputFeedDocumentId") if not body.get(k)]
    if missing:
        raise invalid(f"Missing required field(s): {', '.join(missing)}.")
    if body["feedType"] not in FEED_TYPES:
        raise invalid(f"Feed type {body['feedType']} is not supported by the sandbox.")
    if not isinstance(body["marketplaceIds"], list) or any(
        m not in ALL_MARKETPLACE_IDS for m in body["marketplaceIds"]
    ):
        raise invalid("Invalid marketplaceIds.")
    doc = ctx.sandbox.feed_documents.get(str(body["inputFeedDocumentId"]))
    if doc is None or doc["kind"] != "input":
        raise invalid(f"Invalid inputFeedDocumentId: {body['inputFeedDocumentId']}.")
    feed_id = str(next(_ids))
    now = ctx.sandbox.clock.now()
    ctx.sandbox.feeds[feed_id] = {
        "feedId": feed_id,
        "feedType": body["feedType"],
        "marketplaceIds": list(body["marketplaceIds"]),
        "createdTime": iso(now),
        "_created": now,
        "_seller": ctx.seller,
        "_app": ctx.app.application_id,
        "_input": doc["feedDocumentId"],
        "_result": None,
    }
    return ok({"feedId": feed_id}, 202)


def feed_view(sb: Sandbox, feed: dict[str, Any]) -> dict[str, Any]:
    """The public view of a feed at the sandbox clock, processing it when due."""
    now = sb.clock.now()
    age = now - feed["_created"]
    view = {k: v for k, v in feed.items() if not k.startswith("_")}
    if age < QUEUE_SECONDS:
        view["processingStatus"] = "IN_QUEUE"
        return view
    view["processingStartTime"] = iso(feed["_created"] + QUEUE_SECONDS)
    if age < PROCESSING_SECONDS:
        view["processingStatus"] = "IN_PROGRESS"
        return view
    if feed["_result"] is None:
        _process(sb, feed)
    view["processingStatus"] = feed["_status"]
    view["processingEndTime"] = iso(feed["_created"] + PROCESSING_SECONDS)
    if feed["_result"]:
        view["resultFeedDocumentId"] = feed["_result"]
    return view


def _process(sb: Sandbox, feed: dict[str, Any]) -> None:
    content = sb.feed_documents[feed["_input"]]["content"]
    if content is None:  # never uploaded
        feed["_status"], feed["_result"] = "FATAL", ""
        return
    try:
        results = process_feed(sb, feed["_seller"], content, "feed")
    except Exception:  # a sandbox bug must not take every later request down with it
        log.exception("feed %s failed", feed["feedId"])
        feed["_status"], feed["_result"] = "FATAL", ""
        return
    report = processing_report(feed["_seller"], feed["feedId"], count_messages(content), results)
    doc = new_document(sb, "text/xml; charset=UTF-8", report, "result")
    feed["_status"], feed["_result"] = "DONE", doc["feedDocumentId"]


def process_due(sb: Sandbox) -> None:
    for feed in list(sb.feeds.values()):
        if feed["_result"] is None and sb.clock.now() - feed["_created"] >= PROCESSING_SECONDS:
            feed_view(sb, feed)


def get_feed(ctx: Ctx) -> Result:
    feed = ctx.sandbox.feeds.get(ctx.request.path_params["feedId"])
    if feed is None or feed["_seller"] != ctx.seller:
        raise not_found(f"Feed {ctx.request.path_params['feedId']} was not found.")
    return ok(feed_view(ctx.sandbox, feed))


def get_feed_document(ctx: Ctx) -> Result:
    doc_id = ctx.request.path_params["feedDocumentId"]
    doc = ctx.sandbox.feed_documents.get(doc_id)
    if doc is None:
        raise not_found(f"Feed document {doc_id} was not found.")
    return ok({"feedDocumentId": doc_id, "url": document_url(ctx.sandbox, doc_id)})


# --- Authorization API ---------------------------------------------------------------------
def get_authorization_code(ctx: Ctx) -> Result:
    sb = ctx.sandbox
    seller = ctx.query("sellingPartnerId")
    developer = ctx.query("developerId")
    token = ctx.query("mwsAuthToken")
    if not (seller and developer and token):
        raise invalid("sellingPartnerId, developerId and mwsAuthToken are required.")
    auth = sb.find_authorization("mws", seller, developer)
    if auth is None or auth.mws_auth_token != token:
        raise invalid("Invalid mwsAuthToken for this selling partner and developer.")
    if auth.state(sb.clock.now()) != "active":
        raise ApiError(400, "InvalidInput", "The MWS authorization has expired or was revoked.")
    code = sb.issue_code(ctx.app, seller, ctx.app.redirect_uris[0] if ctx.app.redirect_uris else "")
    return ok({"payload": {"authorizationCode": code}})
