"""MWS Signature Version 2: the fact sheet's two published vectors."""

from __future__ import annotations

from amazon_sandbox.mws import canonical_query, sign, string_to_sign


def test_published_vector_elasticmapreduce() -> None:
    text = string_to_sign(
        "GET",
        "elasticmapreduce.amazonaws.com",
        "/",
        {
            "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE",
            "Action": "DescribeJobFlows",
            "SignatureMethod": "HmacSHA256",
            "SignatureVersion": "2",
            "Timestamp": "2011-10-03T15:19:30",
            "Version": "2009-03-31",
        },
    )
    assert text == (
        "GET\nelasticmapreduce.amazonaws.com\n/\nAWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=DescribeJobFlows"
        "&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2011-10-03T15%3A19%3A30&Version=2009-03-31"
    )
    assert (
        sign("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", text)
        == "i91nKc4PWAt0JJIdXwz9HxZCJDdiy6cf/Mj6vPxyYIs="
    )


def test_published_vector_product_advertising() -> None:
    text = string_to_sign(
        "GET",
        "WebServices.Amazon.com",
        "/onca/xml",
        {
            "Service": "AWSECommerceService",
            "AWSAccessKeyId": "AKIAIOSFODNN7EXAMPLE",
            "AssociateTag": "mytag-20",
            "Operation": "ItemLookup",
            "ItemId": "0679722769",
            "ResponseGroup": "Images,ItemAttributes,Offers,Reviews",
            "Version": "2013-08-01",
            "Timestamp": "2014-08-18T12:00:00Z",
        },
    )
    assert sign("1234567890", text) == "j7bZM0LXZ9eXeZruTqWm2DIvDYVUU3wxPPpp+iXxzQc="


def test_canonical_query_encodes_rfc3986_and_sorts_by_bytes() -> None:
    query = canonical_query({"b": "a b~", "B": "*", "a": "ä", "Signature": "x"})
    assert query == "B=%2A&a=%C3%A4&b=a%20b~"
