"""MWS Signature Version 2: Amazon's two published vectors and the canonical query."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from colis.marketplaces.amazon import mws


def test_published_vector_elasticmapreduce() -> None:
    text = (
        "GET\nelasticmapreduce.amazonaws.com\n/\n"
        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=DescribeJobFlows&SignatureMethod=HmacSHA256"
        "&SignatureVersion=2&Timestamp=2011-10-03T15%3A19%3A30&Version=2009-03-31"
    )
    assert mws.sign("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", text) == (
        "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="
    )


def test_published_vector_product_advertising() -> None:
    text = (
        "GET\nwebservices.amazon.com\n/onca/xml\n"
        "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&AssociateTag=mytag-20&ItemId=0679722769"
        "&Operation=ItemLookup&ResponseGroup=Images%2CItemAttributes%2COffers%2CReviews"
        "&Service=AWSECommerceService&Timestamp=2014-08-18T12%3A00%3A00Z&Version=2013-08-01"
    )
    assert mws.sign("1234567890", text) == "j7bZM0LXZ9eXeZruTqWm2DIvDYVUU3wxPPpp+iXxzQc="


def test_string_to_sign_builds_the_published_vector_from_parameters() -> None:
    params = {
        "Version": "2009-03-31",
        "Timestamp": "2011-10-03T15:19:30",
        "SignatureVersion": "2",
        "SignatureMethod": "HmacSHA256",
        "Action": "DescribeJobFlows",
        "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE",
    }
    text = mws.string_to_sign("get", "ElasticMapReduce.amazonaws.com", "/", params)
    assert mws.sign("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", text) == (
        "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="
    )


def test_space_is_percent_20_and_unreserved_stay() -> None:
    assert mws.percent_encode("a b~c-d_e.f*+/") == "a%20b~c-d_e.f%2A%2B%2F"


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=8), max_size=6))
def test_canonical_query_is_sorted_by_key_bytes(params: dict[str, str]) -> None:
    query = mws.canonical_query(params)
    keys = [part.split("=", 1)[0] for part in query.split("&")] if params else []
    encoded = sorted(params, key=lambda k: k.encode("utf-8"))
    assert keys == [quote(k, safe="-_.~") for k in encoded]


def test_signed_params_carry_every_common_parameter() -> None:
    params = mws.signed_params(
        method="POST",
        url="https://mws-eu.amazonservices.com/Orders/2013-09-01",
        action="ListOrders",
        version="2013-09-01",
        access_key="AKIAEXAMPLE",
        secret_key="secret",
        seller_id="A1SBXSELLERIT1",
        auth_token="amzn.mws.4ea38b7b-f563-7709-4bae-87aeaadc1e01",
        params={"MarketplaceId.Id.1": "APJ6JRA9NG5V4"},
        now=dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC),
    )
    assert params["Timestamp"] == "2026-11-27T10:00:00Z"
    assert params["SignatureVersion"] == "2" and params["SignatureMethod"] == "HmacSHA256"
    unsigned = {k: v for k, v in params.items() if k != "Signature"}
    expected = mws.sign(
        "secret",
        mws.string_to_sign("POST", "mws-eu.amazonservices.com", "/Orders/2013-09-01", unsigned),
    )
    assert params["Signature"] == expected


def test_format_checks() -> None:
    assert mws.SELLER_ID_RE.match("A1SBXSELLERIT1")
    assert not mws.SELLER_ID_RE.match("a1sbxsellerit1")
    assert mws.MWS_AUTH_TOKEN_RE.match("amzn.mws.4ea38b7b-f563-7709-4bae-87aeaadc1e01")
    assert not mws.MWS_AUTH_TOKEN_RE.match("amzn.mws.not-a-uuid")
