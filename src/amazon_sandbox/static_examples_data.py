"""The static request/response pairs of Amazon's own SP-API sandbox (the models'
x-amzn-api-sandbox examples, Apache-2.0, amzn/selling-partner-api-models @ 34dc93fe)
for the operations this sandbox serves, as a fixture set in code: answered to the
static-examples seller (defaults.STATIC_SELLER). Generated; do not edit by hand."""

from typing import Any

EXAMPLES: dict[str, list[tuple[int, dict[str, Any], Any]]] = {
    "getOrders": [
        (
            200,
            {"CreatedAfter": "TEST_CASE_200", "MarketplaceIds": ["ATVPDKIKX0DER"]},
            {
                "payload": {
                    "CreatedBefore": "1.569521782042E9",
                    "Orders": [
                        {
                            "AmazonOrderId": "902-1845936-5435065",
                            "PurchaseDate": "1970-01-19T03:58:30Z",
                            "LastUpdateDate": "1970-01-19T03:58:32Z",
                            "OrderStatus": "Unshipped",
                            "FulfillmentChannel": "MFN",
                            "SalesChannel": "Amazon.com",
                            "ShipServiceLevel": "Std US D2D Dom",
                            "OrderTotal": {"CurrencyCode": "USD", "Amount": "11.01"},
                            "NumberOfItemsShipped": 0,
                            "NumberOfItemsUnshipped": 1,
                            "PaymentMethod": "Other",
                            "PaymentMethodDetails": ["Standard"],
                            "IsReplacementOrder": False,
                            "MarketplaceId": "ATVPDKIKX0DER",
                            "ShipmentServiceLevelCategory": "Standard",
                            "OrderType": "StandardOrder",
                            "EarliestShipDate": "1970-01-19T03:59:27Z",
                            "LatestShipDate": "1970-01-19T04:05:13Z",
                            "EarliestDeliveryDate": "1970-01-19T04:06:39Z",
                            "LatestDeliveryDate": "1970-01-19T04:15:17Z",
                            "IsBusinessOrder": False,
                            "IsPrime": False,
                            "IsGlobalExpressEnabled": False,
                            "IsPremiumOrder": False,
                            "IsSoldByAB": False,
                            "IsIBA": False,
                            "DefaultShipFromLocationAddress": {
                                "Name": "MFNIntegrationTestMerchant",
                                "AddressLine1": "2201 WESTLAKE AVE",
                                "City": "SEATTLE",
                                "StateOrRegion": "WA",
                                "PostalCode": "98121-2778",
                                "CountryCode": "US",
                                "Phone": "+1 480-386-0930 ext. 73824",
                                "AddressType": "Commercial",
                            },
                            "FulfillmentInstruction": {
                                "FulfillmentSupplySourceId": "sampleSupplySourceId"
                            },
                            "IsISPU": False,
                            "IsAccessPointOrder": False,
                            "AutomatedShippingSettings": {"HasAutomatedShippingSettings": False},
                            "EasyShipShipmentStatus": "PendingPickUp",
                            "ElectronicInvoiceStatus": "NotRequired",
                        },
                        {
                            "AmazonOrderId": "902-8745147-1934268",
                            "PurchaseDate": "1970-01-19T03:58:30Z",
                            "LastUpdateDate": "1970-01-19T03:58:32Z",
                            "OrderStatus": "Unshipped",
                            "FulfillmentChannel": "MFN",
                            "SalesChannel": "Amazon.com",
                            "ShipServiceLevel": "Std US D2D Dom",
                            "OrderTotal": {"CurrencyCode": "USD", "Amount": "11.01"},
                            "NumberOfItemsShipped": 0,
                            "NumberOfItemsUnshipped": 1,
                            "PaymentMethod": "Other",
                            "PaymentMethodDetails": ["Standard"],
                            "IsReplacementOrder": False,
                            "MarketplaceId": "ATVPDKIKX0DER",
                            "ShipmentServiceLevelCategory": "Standard",
                            "OrderType": "StandardOrder",
                            "EarliestShipDate": "1970-01-19T03:59:27Z",
                            "LatestShipDate": "1970-01-19T04:05:13Z",
                            "EarliestDeliveryDate": "1970-01-19T04:06:39Z",
                            "LatestDeliveryDate": "1970-01-19T04:15:17Z",
                            "IsBusinessOrder": False,
                            "IsPrime": False,
                            "IsAccessPointOrder": False,
                            "IsGlobalExpressEnabled": False,
                            "IsPremiumOrder": False,
                            "IsSoldByAB": False,
                            "IsIBA": False,
                            "EasyShipShipmentStatus": "PendingPickUp",
                            "ElectronicInvoiceStatus": "NotRequired",
                        },
                    ],
                }
            },
        ),
        (
            200,
            {"CreatedAfter": "TEST_CASE_200_NEXT_TOKEN", "MarketplaceIds": ["ATVPDKIKX0DER"]},
            {
                "payload": {
                    "NextToken": "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4",
                    "Orders": [
                        {
                            "AmazonOrderId": "902-3159896-1390916",
                            "PurchaseDate": "2017-01-20T19:49:35Z",
                            "LastUpdateDate": "2017-01-20T19:49:35Z",
                            "OrderStatus": "Pending",
                            "FulfillmentChannel": "MFN",
                            "NumberOfItemsShipped": 0,
                            "NumberOfItemsUnshipped": 0,
                            "PaymentMethod": "Other",
                            "PaymentMethodDetails": ["CreditCard", "GiftCertificate"],
                            "MarketplaceId": "ATVPDKIKX0DER",
                            "ShipmentServiceLevelCategory": "Standard",
                            "OrderType": "StandardOrder",
                            "EasyShipShipmentStatus": "PendingPickUp",
                            "ElectronicInvoiceStatus": "NotRequired",
                            "EarliestShipDate": "2017-01-20T19:51:16Z",
                            "LatestShipDate": "2017-01-25T19:49:35Z",
                            "IsBusinessOrder": False,
                            "IsPrime": False,
                            "IsAccessPointOrder": False,
                            "IsGlobalExpressEnabled": False,
                            "IsPremiumOrder": False,
                            "IsSoldByAB": False,
                            "IsIBA": False,
                        }
                    ],
                }
            },
        ),
        (
            200,
            {
                "CreatedAfter": "TEST_CASE_200_NEXT_TOKEN",
                "MarketplaceIds": ["ATVPDKIKX0DER"],
                "NextToken": "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4",
            },
            {
                "payload": {
                    "Orders": [
                        {
                            "AmazonOrderId": "902-3159896-1390916",
                            "PurchaseDate": "2017-01-20T19:49:35Z",
                            "LastUpdateDate": "2017-01-20T19:49:35Z",
                            "OrderStatus": "Pending",
                            "FulfillmentChannel": "MFN",
                            "NumberOfItemsShipped": 0,
                            "NumberOfItemsUnshipped": 0,
                            "PaymentMethod": "Other",
                            "PaymentMethodDetails": ["CreditCard", "GiftCertificate"],
                            "MarketplaceId": "ATVPDKIKX0DER",
                            "ShipmentServiceLevelCategory": "Standard",
                            "OrderType": "StandardOrder",
                            "EasyShipShipmentStatus": "PendingPickUp",
                            "ElectronicInvoiceStatus": "NotRequired",
                            "EarliestShipDate": "2017-01-20T19:51:16Z",
                            "LatestShipDate": "2017-01-25T19:49:35Z",
                            "IsBusinessOrder": False,
                            "IsPrime": False,
                            "IsAccessPointOrder": False,
                            "IsGlobalExpressEnabled": False,
                            "IsPremiumOrder": False,
                            "IsSoldByAB": False,
                            "IsIBA": False,
                        }
                    ]
                }
            },
        ),
        (
            400,
            {"CreatedAfter": "TEST_CASE_400"},
            {"errors": [{"code": "InvalidInput", "message": "Invalid Input"}]},
        ),
    ],
    "getOrder": [
        (
            200,
            {"orderId": "TEST_CASE_200"},
            {
                "payload": {
                    "AmazonOrderId": "902-1845936-5435065",
                    "PurchaseDate": "1970-01-19T03:58:30Z",
                    "LastUpdateDate": "1970-01-19T03:58:32Z",
                    "OrderStatus": "Unshipped",
                    "FulfillmentChannel": "MFN",
                    "SalesChannel": "Amazon.com",
                    "ShipServiceLevel": "Std US D2D Dom",
                    "OrderTotal": {"CurrencyCode": "USD", "Amount": "11.01"},
                    "NumberOfItemsShipped": 0,
                    "NumberOfItemsUnshipped": 1,
                    "PaymentMethod": "Other",
                    "PaymentMethodDetails": ["Standard"],
                    "IsReplacementOrder": False,
                    "MarketplaceId": "ATVPDKIKX0DER",
                    "ShipmentServiceLevelCategory": "Standard",
                    "OrderType": "StandardOrder",
                    "EarliestShipDate": "1970-01-19T03:59:27Z",
                    "LatestShipDate": "1970-01-19T04:05:13Z",
                    "EarliestDeliveryDate": "1970-01-19T04:06:39Z",
                    "LatestDeliveryDate": "1970-01-19T04:15:17Z",
                    "IsBusinessOrder": False,
                    "IsPrime": False,
                    "IsGlobalExpressEnabled": False,
                    "IsPremiumOrder": False,
                    "IsSoldByAB": False,
                    "IsIBA": False,
                    "DefaultShipFromLocationAddress": {
                        "Name": "MFNIntegrationTestMerchant",
                        "AddressLine1": "2201 WESTLAKE AVE",
                        "City": "SEATTLE",
                        "StateOrRegion": "WA",
                        "PostalCode": "98121-2778",
                        "CountryCode": "US",
                        "Phone": "+1 480-386-0930 ext. 73824",
                        "AddressType": "Commercial",
                    },
                    "FulfillmentInstruction": {"FulfillmentSupplySourceId": "sampleSupplySourceId"},
                    "IsISPU": False,
                    "IsAccessPointOrder": False,
                    "AutomatedShippingSettings": {"HasAutomatedShippingSettings": False},
                    "EasyShipShipmentStatus": "PendingPickUp",
                    "ElectronicInvoiceStatus": "NotRequired",
                }
            },
        ),
        (
            200,
            {"orderId": "TEST_CASE_IBA_200"},
            {
                "payload": {
                    "AmazonOrderId": "921-3175655-0452641",
                    "PurchaseDate": "2019-05-07T15:42:57.058Z",
                    "LastUpdateDate": "2019-05-08T21:59:59Z",
                    "OrderStatus": "Shipped",
                    "FulfillmentChannel": "AFN",
                    "SalesChannel": "Amazon.de",
                    "ShipServiceLevel": "Standard",
                    "OrderTotal": {"CurrencyCode": "EUR", "Amount": "100.00"},
                    "NumberOfItemsShipped": 1,
                    "NumberOfItemsUnshipped": 0,
                    "PaymentMethod": "Other",
                    "PaymentMethodDetails": ["Invoice"],
                    "PaymentExecutionDetail": [
                        {
                            "Payment": {"CurrencyCode": "BRL", "Amount": "20.00"},
                            "PaymentMethod": "Pix",
                            "AcquirerId": "XX.XXX.XXX/0001-ZZ",
                            "AuthorizationCode": "123456",
                        }
                    ],
                    "IsReplacementOrder": False,
                    "MarketplaceId": "A1PA6795UKMFR9",
                    "ShipmentServiceLevelCategory": "Standard",
                    "OrderType": "StandardOrder",
                    "EarliestShipDate": "1970-01-19T03:59:27Z",
                    "LatestShipDate": "2019-05-08T21:59:59Z",
                    "EarliestDeliveryDate": "2019-05-10T21:59:59Z",
                    "LatestDeliveryDate": "2019-05-12T21:59:59Z",
                    "IsBusinessOrder": True,
                    "IsPrime": False,
                    "IsGlobalExpressEnabled": False,
                    "IsPremiumOrder": False,
                    "IsSoldByAB": True,
                    "IsIBA": True,
                    "DefaultShipFromLocationAddress": {
                        "Name": "MFNIntegrationTestMerchant",
                        "AddressLine1": "2201 WESTLAKE AVE",
                        "City": "SEATTLE",
                        "StateOrRegion": "WA",
                        "PostalCode": "98121-2778",
                        "CountryCode": "US",
                        "Phone": "+1 480-386-0930 ext. 73824",
                        "AddressType": "Commercial",
                    },
                    "FulfillmentInstruction": {"FulfillmentSupplySourceId": "sampleSupplySourceId"},
                    "IsISPU": False,
                    "IsAccessPointOrder": False,
                    "AutomatedShippingSettings": {"HasAutomatedShippingSettings": False},
                    "EasyShipShipmentStatus": "PendingPickUp",
                    "ElectronicInvoiceStatus": "NotRequired",
                }
            },
        ),
        (
            400,
            {"orderId": "TEST_CASE_400"},
            {"errors": [{"code": "InvalidInput", "message": "Invalid Input"}]},
        ),
    ],
    "getOrderBuyerInfo": [
        (
            200,
            {"orderId": "TEST_CASE_200"},
            {
                "payload": {
                    "AmazonOrderId": "902-1845936-5435065",
                    "BuyerEmail": "fzyrv6gwkhbb15c@example.com",
                    "BuyerName": "MFNIntegrationTestMerchant",
                }
            },
        ),
        (
            400,
            {"orderId": "TEST_CASE_400"},
            {"errors": [{"code": "InvalidInput", "message": "Invalid Input"}]},
        ),
    ],
    "getOrderAddress": [
        (
            200,
            {"orderId": "TEST_CASE_200"},
            {
                "payload": {
                    "AmazonOrderId": "902-1845936-5435065",
                    "ShippingAddress": {
                        "Name": "MFNIntegrationTestMerchant",
                        "AddressLine1": "2201 WESTLAKE AVE",
                        "City": "SEATTLE",
                        "StateOrRegion": "WA",
                        "PostalCode": "98121-2778",
                        "CountryCode": "US",
                        "Phone": "+1 480-386-0930 ext. 73824",
                        "AddressType": "Commercial",
                    },
                }
            },
        ),
        (
            400,
            {"orderId": "TEST_CASE_400"},
            {"errors": [{"code": "InvalidInput", "message": "Invalid Input"}]},
        ),
    ],
    "getOrderItems": [
        (
            200,
            {"orderId": "TEST_CASE_200"},
            {
                "payload": {
                    "AmazonOrderId": "902-1845936-5435065",
                    "OrderItems": [
                        {
                            "ASIN": "B00551Q3CS",
                            "OrderItemId": "05015851154158",
                            "SellerSKU": "NABetaASINB00551Q3CS",
                            "Title": "B00551Q3CS [Card Book]",
                            "QuantityOrdered": 1,
                            "QuantityShipped": 0,
                            "ProductInfo": {"NumberOfItems": "1"},
                            "ItemPrice": {"CurrencyCode": "USD", "Amount": "10.00"},
                            "ItemTax": {"CurrencyCode": "USD", "Amount": "1.01"},
                            "PromotionDiscount": {"CurrencyCode": "USD", "Amount": "0.00"},
                            "IsGift": "false",
                            "ConditionId": "New",
                            "ConditionSubtypeId": "New",
                            "IsTransparency": False,
                            "SerialNumberRequired": False,
                            "IossNumber": "",
                            "DeemedResellerCategory": "IOSS",
                            "StoreChainStoreId": "ISPU_StoreId",
                            "BuyerRequestedCancel": {
                                "IsBuyerRequestedCancel": "true",
                                "BuyerCancelReason": "Found cheaper somewhere else.",
                            },
                        }
                    ],
                }
            },
        ),
        (
            400,
            {"orderId": "TEST_CASE_400"},
            {"errors": [{"code": "InvalidInput", "message": "Invalid Input"}]},
        ),
    ],
    "confirmShipment": [
        (
            204,
            {
                "orderId": "902-1106328-1059050",
                "body": {
                    "marketplaceId": "ATVPDKIKX0DER",
                    "packageDetail": {
                        "packageReferenceId": "1",
                        "carrierCode": "FedEx",
                        "carrierName": "FedEx",
                        "shippingMethod": "FedEx Ground",
                        "trackingNumber": "112345678",
                        "shipDate": "2022-02-11T01:00:00.000Z",
                        "shipFromSupplySourceId": "057d3fcc-b750-419f-bbcd-4d340c60c430",
                        "orderItems": [
                            {
                                "orderItemId": "79039765272157",
                                "quantity": 1,
                                "transparencyCodes": ["09876543211234567890"],
                            }
                        ],
                    },
                },
            },
            {},
        ),
        (
            400,
            {
                "orderId": "902-1106328-1059050",
                "body": {
                    "marketplaceId": "ATVPDKIKX0DER",
                    "packageDetail": {
                        "packageReferenceId": "1",
                        "carrierCode": "FedEx",
                        "carrierName": "FedEx",
                        "shippingMethod": "FedEx Ground",
                        "trackingNumber": "112345678",
                        "shipDate": "02/21/2022",
                        "shipFromSupplySourceId": "057d3fcc-b750-419f-bbcd-4d340c60c430",
                        "orderItems": [
                            {
                                "orderItemId": "79039765272157",
                                "quantity": 1,
                                "transparencyCodes": ["09876543211234567890"],
                            }
                        ],
                    },
                },
            },
            {"errors": [{"code": "Invalid Input", "message": "Invalid Input"}]},
        ),
    ],
    "searchOrders": [
        (
            200,
            {
                "createdAfter": "2024-12-25T00:00:00Z",
                "marketplaceIds": ["A1VC38T7YXB528"],
                "includedData": [
                    "BUYER",
                    "RECIPIENT",
                    "PROCEEDS",
                    "EXPENSE",
                    "PROMOTION",
                    "CANCELLATION",
                    "FULFILLMENT",
                    "PACKAGES",
                ],
            },
            {
                "orders": [
                    {
                        "orderId": "250-1234567-8901234",
                        "orderAliases": [
                            {"aliasId": "JP-ORDER-2024-001", "aliasType": "SELLER_ORDER_ID"}
                        ],
                        "createdTime": "2024-12-25T02:30:00Z",
                        "lastUpdatedTime": "2024-12-25T06:45:00Z",
                        "programs": ["PRIME"],
                        "associatedOrders": [],
                        "salesChannel": {
                            "channelName": "AMAZON",
                            "marketplaceId": "A1VC38T7YXB528",
                            "marketplaceName": "Amazon.co.jp",
                        },
                        "buyer": {
                            "buyerName": "John Smith",
                            "buyerEmail": "buyer-email@marketplace.amazon.co.jp",
                        },
                        "recipient": {
                            "deliveryAddress": {
                                "name": "John Smith",
                                "addressLine1": "123 Business Park",
                                "addressLine2": "Suite 456",
                                "city": "Tokyo",
                                "postalCode": "150-0002",
                                "countryCode": "JP",
                                "addressType": "RESIDENTIAL",
                            }
                        },
                        "proceeds": {"grandTotal": {"amount": "19940", "currencyCode": "JPY"}},
                        "fulfillment": {
                            "fulfillmentStatus": "SHIPPED",
                            "fulfilledBy": "AMAZON",
                            "fulfillmentServiceLevel": "STANDARD",
                            "shipByWindow": {
                                "earliestDateTime": "2024-12-25T00:00:00Z",
                                "latestDateTime": "2024-12-25T23:59:59Z",
                            },
                        },
                        "orderItems": [
                            {
                                "orderItemId": "25012345678901",
                                "quantityOrdered": 1,
                                "programs": ["TRANSPARENCY"],
                                "product": {
                                    "asin": "B08C1W5N87",
                                    "title": "Echo Dot (第4世代) スマートスピーカー with Alexa チャコール",
                                    "sellerSku": "ECHO-DOT-4-JP-CHARCOAL",
                                    "condition": {
                                        "conditionType": "NEW",
                                        "conditionSubtype": "NEW",
                                        "conditionNote": "",
                                    },
                                    "price": {
                                        "unitPrice": {"amount": "5980", "currencyCode": "JPY"}
                                    },
                                    "serialNumbers": ["ED4JP-2024-ABC123456789"],
                                },
                                "proceeds": {
                                    "proceedsTotal": {"amount": "5980", "currencyCode": "JPY"},
                                    "breakdowns": [
                                        {
                                            "type": "ITEM",
                                            "subtotal": {"amount": "5980", "currencyCode": "JPY"},
                                        }
                                    ],
                                },
                                "expense": {
                                    "pointsCost": {
                                        "pointsGranted": {
                                            "pointsNumber": 60,
                                            "pointsMonetaryValue": {
                                                "amount": "60",
                                                "currencyCode": "JPY",
                                            },
                                        }
                                    }
                                },
                                "promotion": {
                                    "breakdowns": [{"promotionId": "JP-WINTER-SALE-2024"}]
                                },
                                "fulfillment": {"quantityFulfilled": 1, "quantityUnfulfilled": 0},
                            },
                            {
                                "orderItemId": "25012345678902",
                                "quantityOrdered": 2,
                                "product": {
                                    "asin": "B07PFFMP9P",
                                    "title": "Fire TV Stick 4K Max ストリーミングデバイス",
                                    "sellerSku": "FIRE-TV-4K-MAX-JP",
                                    "condition": {
                                        "conditionType": "NEW",
                                        "conditionSubtype": "NEW",
                                        "conditionNote": "",
                                    },
                                    "price": {
                                        "unitPrice": {"amount": "6980", "currencyCode": "JPY"}
                                    },
                                    "serialNumbers": [
                                        "FTV4KMAXJP-2024-GHI123456789",
                                        "FTV4KMAXJP-2024-JKL987654321",
                                    ],
                                },
                                "proceeds": {
                                    "proceedsTotal": {"amount": "13960", "currencyCode": "JPY"},
                                    "breakdowns": [
                                        {
                                            "type": "ITEM",
                                            "subtotal": {"amount": "13960", "currencyCode": "JPY"},
                                        }
                                    ],
                                },
                                "expense": {
                                    "pointsCost": {
                                        "pointsGranted": {
                                            "pointsNumber": 140,
                                            "pointsMonetaryValue": {
                                                "amount": "140",
                                                "currencyCode": "JPY",
                                            },
                                        }
                                    }
                                },
                                "fulfillment": {"quantityFulfilled": 2, "quantityUnfulfilled": 0},
                            },
                        ],
                    }
                ],
                "pagination": {"nextToken": "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4"},
                "createdBefore": "2024-12-25T03:00:00Z",
            },
        ),
        (
            200,
            {
                "createdAfter": "2024-12-23T00:00:00Z",
                "marketplaceIds": ["A1F83G8C2ARO7P"],
                "includedData": [
                    "BUYER",
                    "RECIPIENT",
                    "PROCEEDS",
                    "EXPENSE",
                    "PROMOTION",
                    "CANCELLATION",
                    "FULFILLMENT",
                    "PACKAGES",
                ],
                "paginationToken": "9ZhB4RmVyc2lvbiAxLjAgb2YgdGhl",
            },
            {
                "orders": [
                    {
                        "orderId": "202-7654321-1098765",
                        "orderAliases": [
                            {
                                "aliasId": "UK-CONSUMER-ORDER-2024-002",
                                "aliasType": "SELLER_ORDER_ID",
                            }
                        ],
                        "createdTime": "2024-12-24T14:20:00Z",
                        "lastUpdatedTime": "2024-12-24T18:45:00Z",
                        "programs": ["PRIME"],
                        "salesChannel": {
                            "channelName": "AMAZON",
                            "marketplaceId": "A1F83G8C2ARO7P",
                            "marketplaceName": "Amazon.co.uk",
                        },
                        "buyer": {
                            "buyerName": "Sarah Thompson",
                            "buyerEmail": "buyer-email@marketplace.amazon.co.uk",
                        },
                        "recipient": {
                            "deliveryAddress": {
                                "name": "Sarah Thompson",
                                "addressLine1": "45 Oak Avenue",
                                "addressLine2": "Flat 2A",
                                "addressLine3": "",
                                "city": "London",
                                "districtOrCounty": "Greater London",
                                "stateOrRegion": "England",
                                "municipality": "",
                                "postalCode": "SW1A 1AA",
                                "countryCode": "GB",
                                "phone": "+44 20 7946 0958",
                                "addressType": "RESIDENTIAL",
                            }
                        },
                        "proceeds": {"grandTotal": {"amount": "34.99", "currencyCode": "GBP"}},
                        "fulfillment": {
                            "fulfillmentStatus": "SHIPPED",
                            "fulfilledBy": "MERCHANT",
                            "fulfillmentServiceLevel": "STANDARD",
                            "shipByWindow": {
                                "earliestDateTime": "2024-12-24T00:00:00Z",
                                "latestDateTime": "2024-12-25T23:59:59Z",
                            },
                            "deliverByWindow": {
                                "earliestDateTime": "2024-12-26T00:00:00Z",
                                "latestDateTime": "2024-12-28T23:59:59Z",
                            },
                        },
                        "orderItems": [
                            {
                                "orderItemId": "20276543210987",
                                "quantityOrdered": 1,
                                "measurement": {"unit": "COUNT", "value": 1},
                                "product": {
                                    "asin": "B08C1W5N87",
                                    "title": "Amazon Echo Dot (4th Generation) | Smart speaker "
                                    "with Alexa | Charcoal",
                                    "sellerSku": "ECHO-DOT-4-UK-CHARCOAL-SINGLE",
                                    "condition": {
                                        "conditionType": "NEW",
                                        "conditionSubtype": "NEW",
                                        "conditionNote": "",
                                    },
                                    "price": {
                                        "unitPrice": {"amount": "34.99", "currencyCode": "GBP"}
                                    },
                                },
                                "proceeds": {
                                    "proceedsTotal": {"amount": "34.99", "currencyCode": "GBP"},
                                    "breakdowns": [
                                        {
                                            "type": "ITEM",
                                            "subtotal": {"amount": "34.99", "currencyCode": "GBP"},
                                        }
                                    ],
                                },
                                "fulfillment": {
                                    "quantityFulfilled": 1,
                                    "quantityUnfulfilled": 0,
                                    "picking": {
                                        "substitutionPreference": {
                                            "substitutionType": "CUSTOMER_PREFERENCE",
                                            "substitutionOptions": [
                                                {
                                                    "asin": "B08C1W5N88",
                                                    "quantityOrdered": 1,
                                                    "sellerSku": "ECHO-DOT-4-UK-WHITE-SINGLE",
                                                    "title": "Amazon "
                                                    "Echo "
                                                    "Dot "
                                                    "(4th "
                                                    "Generation) "
                                                    "| "
                                                    "Smart "
                                                    "speaker "
                                                    "with "
                                                    "Alexa "
                                                    "| "
                                                    "Glacier "
                                                    "White",
                                                    "measurement": {"unit": "COUNT", "value": 1},
                                                },
                                                {
                                                    "asin": "B08C1W5N89",
                                                    "quantityOrdered": 1,
                                                    "sellerSku": "ECHO-DOT-4-UK-BLUE-SINGLE",
                                                    "title": "Amazon "
                                                    "Echo "
                                                    "Dot "
                                                    "(4th "
                                                    "Generation) "
                                                    "| "
                                                    "Smart "
                                                    "speaker "
                                                    "with "
                                                    "Alexa "
                                                    "| "
                                                    "Twilight "
                                                    "Blue",
                                                    "measurement": {"unit": "COUNT", "value": 1},
                                                },
                                            ],
                                        }
                                    },
                                },
                            }
                        ],
                        "packages": [
                            {
                                "packageReferenceId": "UK-PKG-CONSUMER-2024-002",
                                "createdTime": "2024-12-24T19:00:00Z",
                                "packageStatus": {
                                    "status": "IN_TRANSIT",
                                    "detailedStatus": "OUT_FOR_DELIVERY",
                                },
                                "carrier": "DPD",
                                "shipTime": "2024-12-25T14:00:00Z",
                                "shippingService": "DPD Next Day Delivery",
                                "trackingNumber": "15501234567890123456",
                                "shipFromAddress": {
                                    "name": "SmartHome Electronics Warehouse",
                                    "addressLine1": "Unit 7, Technology Park",
                                    "addressLine2": "Innovation Drive",
                                    "addressLine3": "",
                                    "city": "Reading",
                                    "districtOrCounty": "Berkshire",
                                    "stateOrRegion": "England",
                                    "municipality": "",
                                    "postalCode": "RG6 1AZ",
                                    "countryCode": "GB",
                                },
                                "packageItems": [
                                    {
                                        "orderItemId": "20276543210987",
                                        "quantity": 1,
                                        "transparencyCodes": ["T98765ZYXWV43210UK"],
                                    }
                                ],
                            }
                        ],
                    }
                ],
                "createdBefore": "2024-12-24T15:00:00Z",
            },
        ),
        (
            200,
            {
                "createdAfter": "2024-12-20T00:00:00Z",
                "marketplaceIds": ["A2Q3Y263D00KWC"],
                "includedData": ["BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "TAX", "PAYMENT"],
            },
            {
                "orders": [
                    {
                        "orderId": "171-2345678-9012345",
                        "orderAliases": [
                            {"aliasId": "BR-BIZ-ORDER-2024-001", "aliasType": "SELLER_ORDER_ID"}
                        ],
                        "createdTime": "2024-12-22T15:30:00Z",
                        "lastUpdatedTime": "2024-12-23T10:00:00Z",
                        "programs": ["AMAZON_BUSINESS", "DELIVERY_BY_AMAZON"],
                        "salesChannel": {
                            "channelName": "AMAZON",
                            "marketplaceId": "A2Q3Y263D00KWC",
                            "marketplaceName": "Amazon.com.br",
                        },
                        "buyer": {
                            "buyerName": "Carlos Oliveira",
                            "buyerEmail": "buyer-email@marketplace.amazon.com.br",
                            "buyerCompanyName": "Oliveira Tecnologia Ltda",
                            "buyerPurchaseOrderNumber": "PO-BR-2024-5678",
                        },
                        "recipient": {
                            "deliveryAddress": {
                                "name": "Carlos Oliveira",
                                "companyName": "Oliveira Tecnologia Ltda",
                                "addressLine1": "Avenida Paulista, 1000",
                                "addressLine2": "Sala 301",
                                "city": "São Paulo",
                                "stateOrRegion": "SP",
                                "postalCode": "01310-100",
                                "countryCode": "BR",
                                "phone": "+55 11 91234-5678",
                                "extendedFields": {
                                    "streetName": "Avenida Paulista",
                                    "streetNumber": "1000",
                                    "complement": "Sala 301",
                                    "neighborhood": "Bela Vista",
                                },
                                "addressType": "COMMERCIAL",
                            }
                        },
                        "proceeds": {"grandTotal": {"amount": "1599.90", "currencyCode": "BRL"}},
                        "tax": {
                            "taxRegistrations": [
                                {
                                    "entityType": "BUYER",
                                    "legalName": "Oliveira Tecnologia Ltda",
                                    "taxRegistrationType": "VAT",
                                    "taxRegistrationNumber": "1234567890",
                                },
                                {
                                    "entityType": "MARKETPLACE",
                                    "taxRegistrationType": "CNPJ",
                                    "taxRegistrationNumber": "15436940",
                                },
                                {"entityType": "MERCHANT", "legalName": "TechStore"},
                            ],
                            "taxInvoicing": {"invoiceStatus": "PROCESSING"},
                        },
                        "payment": {
                            "paymentExecutions": [
                                {
                                    "paymentMethod": "CreditCard",
                                    "paymentAmount": {"amount": "1599.90", "currencyCode": "BRL"},
                                    "acquirerId": "01.027.058/0001-91",
                                    "cardBrand": "Visa",
                                    "authorizationCode": "123456",
                                }
                            ]
                        },
                        "fulfillment": {
                            "fulfillmentStatus": "UNSHIPPED",
                            "fulfilledBy": "MERCHANT",
                            "fulfillmentServiceLevel": "STANDARD",
                            "shipByWindow": {
                                "earliestDateTime": "2024-12-23T00:00:00Z",
                                "latestDateTime": "2024-12-24T23:59:59Z",
                            },
                            "deliverByWindow": {
                                "earliestDateTime": "2024-12-26T00:00:00Z",
                                "latestDateTime": "2024-12-30T23:59:59Z",
                            },
                        },
                        "orderItems": [
                            {
                                "orderItemId": "17123456789012",
                                "quantityOrdered": 1,
                                "product": {
                                    "asin": "B09B8V1LZ3",
                                    "title": "Notebook Dell Inspiron 15 3000",
                                    "sellerSku": "DELL-I15-BR-001",
                                    "condition": {
                                        "conditionType": "NEW",
                                        "conditionSubtype": "NEW",
                                    },
                                    "price": {
                                        "unitPrice": {"amount": "1599.90", "currencyCode": "BRL"},
                                        "priceDesignation": "BUSINESS_PRICE",
                                    },
                                },
                                "proceeds": {
                                    "proceedsTotal": {"amount": "1599.90", "currencyCode": "BRL"},
                                    "breakdowns": [
                                        {
                                            "type": "ITEM",
                                            "subtotal": {
                                                "amount": "1599.90",
                                                "currencyCode": "BRL",
                                            },
                                        }
                                    ],
                                },
                                "fulfillment": {"quantityFulfilled": 0, "quantityUnfulfilled": 1},
                            }
                        ],
                    }
                ],
                "createdBefore": "2024-12-22T16:00:00Z",
            },
        ),
        (
            400,
            {"createdAfter": "TEST_CASE_400"},
            {
                "errors": [
                    {"code": "InvalidInput", "message": "Invalid Input", "details": "Invalid Input"}
                ]
            },
        ),
    ],
    "getOrder2026": [
        (
            200,
            {
                "orderId": "171-9876543-2109876",
                "includedData": [
                    "BUYER",
                    "RECIPIENT",
                    "PROCEEDS",
                    "EXPENSE",
                    "PROMOTION",
                    "CANCELLATION",
                    "FULFILLMENT",
                    "PACKAGES",
                ],
            },
            {
                "order": {
                    "orderId": "171-9876543-2109876",
                    "orderAliases": [
                        {"aliasId": "BR-CONSUMER-ORDER-2024-003", "aliasType": "SELLER_ORDER_ID"}
                    ],
                    "createdTime": "2024-12-24T20:30:00Z",
                    "lastUpdatedTime": "2024-12-25T08:15:00Z",
                    "programs": ["PRIME"],
                    "salesChannel": {
                        "channelName": "AMAZON",
                        "marketplaceId": "A2Q3Y263D00KWC",
                        "marketplaceName": "Amazon.com.br",
                    },
                    "buyer": {
                        "buyerName": "Maria Silva Santos",
                        "buyerEmail": "buyer-email@marketplace.amazon.com.br",
                    },
                    "recipient": {
                        "deliveryAddress": {
                            "name": "Maria Silva Santos",
                            "addressLine1": "Rua das Flores, 123",
                            "addressLine2": "Apartamento 45",
                            "addressLine3": "",
                            "city": "São Paulo",
                            "districtOrCounty": "",
                            "stateOrRegion": "SP",
                            "municipality": "",
                            "postalCode": "01234-567",
                            "countryCode": "BR",
                            "phone": "+55 11 98765-4321",
                            "extendedFields": {
                                "streetName": "Rua das Flores",
                                "streetNumber": "123",
                                "complement": "Apartamento 45",
                                "neighborhood": "Vila Madalena",
                            },
                            "addressType": "RESIDENTIAL",
                        }
                    },
                    "proceeds": {"grandTotal": {"amount": "299.90", "currencyCode": "BRL"}},
                    "fulfillment": {
                        "fulfillmentStatus": "UNSHIPPED",
                        "fulfilledBy": "MERCHANT",
                        "fulfillmentServiceLevel": "STANDARD",
                        "shipByWindow": {
                            "earliestDateTime": "2024-12-26T00:00:00Z",
                            "latestDateTime": "2024-12-27T23:59:59Z",
                        },
                        "deliverByWindow": {
                            "earliestDateTime": "2024-12-28T00:00:00Z",
                            "latestDateTime": "2024-12-31T23:59:59Z",
                        },
                        "labelPrintingWindow": {"earliestDateTime": "2024-12-26T17:00:00Z"},
                    },
                    "orderItems": [
                        {
                            "orderItemId": "17198765432109",
                            "quantityOrdered": 1,
                            "product": {
                                "asin": "B08N5WRWNW",
                                "title": "Echo Dot (4ª Geração) | Smart Speaker com Alexa | "
                                "Cor Preta",
                                "sellerSku": "ECHO-DOT-4-BR-PRETO",
                                "condition": {
                                    "conditionType": "NEW",
                                    "conditionSubtype": "NEW",
                                    "conditionNote": "",
                                },
                                "price": {"unitPrice": {"amount": "299.90", "currencyCode": "BRL"}},
                            },
                            "proceeds": {
                                "proceedsTotal": {"amount": "299.90", "currencyCode": "BRL"},
                                "breakdowns": [
                                    {
                                        "type": "ITEM",
                                        "subtotal": {"amount": "299.90", "currencyCode": "BRL"},
                                    }
                                ],
                            },
                            "promotion": {"breakdowns": [{"promotionId": "BR-NATAL-2024"}]},
                            "fulfillment": {
                                "quantityFulfilled": 0,
                                "quantityUnfulfilled": 1,
                                "packing": {
                                    "giftOption": {
                                        "giftMessage": "Feliz Natal! "
                                        "Espero que "
                                        "goste do seu "
                                        "novo "
                                        "alto-falante "
                                        "inteligente!",
                                        "giftWrapLevel": "STANDARD",
                                    }
                                },
                            },
                        }
                    ],
                }
            },
        ),
        (
            200,
            {
                "orderId": "028-1234567-8901234",
                "includedData": ["BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "TAX"],
            },
            {
                "order": {
                    "orderId": "028-1234567-8901234",
                    "orderAliases": [
                        {"aliasId": "TR-ORDER-2025-001", "aliasType": "SELLER_ORDER_ID"}
                    ],
                    "createdTime": "2025-03-15T10:30:00Z",
                    "lastUpdatedTime": "2025-03-15T14:20:00Z",
                    "salesChannel": {
                        "channelName": "AMAZON",
                        "marketplaceId": "A33AVAJ2PDY3EV",
                        "marketplaceName": "Amazon.com.tr",
                    },
                    "buyer": {
                        "buyerName": "Mehmet Yilmaz",
                        "buyerEmail": "buyer-email@marketplace.amazon.com.tr",
                    },
                    "recipient": {
                        "deliveryAddress": {
                            "name": "Mehmet Yilmaz",
                            "addressLine1": "Istiklal Caddesi No:42",
                            "addressLine2": "Kat 3",
                            "addressLine3": "",
                            "city": "Istanbul",
                            "districtOrCounty": "Beyoglu",
                            "stateOrRegion": "Istanbul",
                            "municipality": "",
                            "postalCode": "34430",
                            "countryCode": "TR",
                            "addressType": "COMMERCIAL",
                        }
                    },
                    "proceeds": {"grandTotal": {"amount": "125.00", "currencyCode": "TRY"}},
                    "fulfillment": {
                        "fulfillmentStatus": "SHIPPED",
                        "fulfilledBy": "MERCHANT",
                        "fulfillmentServiceLevel": "STANDARD",
                        "shipByWindow": {
                            "earliestDateTime": "2025-03-16T00:00:00Z",
                            "latestDateTime": "2025-03-17T23:59:59Z",
                        },
                        "deliverByWindow": {
                            "earliestDateTime": "2025-03-18T00:00:00Z",
                            "latestDateTime": "2025-03-21T23:59:59Z",
                        },
                    },
                    "tax": {
                        "taxRegistrations": [
                            {
                                "entityType": "BUYER",
                                "taxRegistrationType": "BUSINESS",
                                "taxRegistrationNumber": "TR1234567890",
                                "legalName": "Test company name",
                                "taxRegistrationAddress": {
                                    "name": "Mehmet Yilmaz",
                                    "companyName": "Test company name",
                                    "addressLine1": "Istiklal Caddesi No:42",
                                    "addressLine2": "Kat 3",
                                    "city": "Istanbul",
                                    "stateOrRegion": "Istanbul",
                                    "postalCode": "34430",
                                    "countryCode": "TR",
                                },
                                "taxRegistrationAttributes": [
                                    {"key": "TAX_OFFICE", "value": "tax office"}
                                ],
                            }
                        ],
                        "taxInvoicing": {"buyerInvoicePreference": "BUSINESS"},
                    },
                    "orderItems": [
                        {
                            "orderItemId": "02812345678901",
                            "quantityOrdered": 2,
                            "product": {
                                "asin": "B09V3KXJPB",
                                "title": "Fire HD 10 tablet | 10.1 inch, 1080p Full HD",
                                "sellerSku": "FIRE-HD10-TR-BLK",
                                "condition": {
                                    "conditionType": "NEW",
                                    "conditionSubtype": "NEW",
                                    "conditionNote": "",
                                },
                                "price": {"unitPrice": {"amount": "62.50", "currencyCode": "TRY"}},
                            },
                            "proceeds": {
                                "proceedsTotal": {"amount": "125.00", "currencyCode": "TRY"},
                                "breakdowns": [
                                    {
                                        "type": "ITEM",
                                        "subtotal": {"amount": "125.00", "currencyCode": "TRY"},
                                    }
                                ],
                            },
                            "fulfillment": {"quantityFulfilled": 2, "quantityUnfulfilled": 0},
                            "tax": {
                                "taxCalculationBreakdowns": [{"reportingScheme": "IOSS"}],
                                "taxCollections": [
                                    {
                                        "model": "MARKETPLACE_FACILITATOR",
                                        "responsibleParty": "Amazon Services Europe S.a.r.L.",
                                    }
                                ],
                            },
                        }
                    ],
                }
            },
        ),
        (
            200,
            {
                "orderId": "114-9876543-1234567",
                "includedData": ["RECIPIENT", "PROCEEDS", "FULFILLMENT"],
            },
            {
                "order": {
                    "orderId": "114-9876543-1234567",
                    "createdTime": "2025-03-10T14:00:00Z",
                    "lastUpdatedTime": "2025-03-10T14:30:00Z",
                    "programs": ["IN_STORE_PICK_UP"],
                    "salesChannel": {
                        "channelName": "AMAZON",
                        "marketplaceId": "ATVPDKIKX0DER",
                        "marketplaceName": "Amazon.com",
                    },
                    "recipient": {
                        "deliveryAddress": {
                            "name": "Test Store #1234",
                            "companyName": "Test Store",
                            "addressLine1": "100 Main Street",
                            "addressLine2": "Suite 200",
                            "addressLine3": "",
                            "city": "Seattle",
                            "districtOrCounty": "",
                            "stateOrRegion": "WA",
                            "municipality": "",
                            "postalCode": "98101",
                            "countryCode": "US",
                            "phone": "+1 206 555 0100",
                            "addressType": "COMMERCIAL",
                        }
                    },
                    "proceeds": {"grandTotal": {"amount": "49.99", "currencyCode": "USD"}},
                    "fulfillment": {
                        "fulfillmentStatus": "UNSHIPPED",
                        "fulfilledBy": "MERCHANT",
                        "fulfillmentServiceLevel": "STANDARD",
                    },
                    "orderItems": [
                        {
                            "orderItemId": "11498765431234",
                            "quantityOrdered": 1,
                            "product": {
                                "asin": "B0BSHF7WHW",
                                "title": "All-new Echo Pop | Full sound compact smart "
                                "speaker with Alexa",
                                "sellerSku": "ECHO-POP-US-BLK",
                                "condition": {
                                    "conditionType": "NEW",
                                    "conditionSubtype": "NEW",
                                    "conditionNote": "",
                                },
                                "price": {"unitPrice": {"amount": "39.99", "currencyCode": "USD"}},
                            },
                            "proceeds": {
                                "proceedsTotal": {"amount": "49.99", "currencyCode": "USD"},
                                "breakdowns": [
                                    {
                                        "type": "ITEM",
                                        "subtotal": {"amount": "39.99", "currencyCode": "USD"},
                                    },
                                    {
                                        "type": "TAX",
                                        "subtotal": {"amount": "10.00", "currencyCode": "USD"},
                                    },
                                ],
                            },
                            "fulfillment": {"quantityFulfilled": 0, "quantityUnfulfilled": 1},
                            "associatedOrderItems": [
                                {
                                    "orderId": "333-1234567-7654321",
                                    "orderItemId": "11498765435678",
                                    "associationType": "VALUE_ADD_SERVICE",
                                }
                            ],
                        }
                    ],
                }
            },
        ),
        (
            400,
            {"orderId": "TEST_CASE_400"},
            {"errors": [{"code": "InvalidInput", "message": "Invalid Input"}]},
        ),
    ],
    "createRestrictedDataToken": [
        (
            200,
            {
                "body": {
                    "targetApplication": "amzn1.sellerapps.app.target-application",
                    "restrictedResources": [
                        {"method": "GET", "path": "/orders/v0/orders/{orderId}/address"}
                    ],
                }
            },
            {
                "restrictedDataToken": "Atz.sprdt|IQEBLjAsAhRmHjNgHpi0U-Dme37rR6CuUpSR",
                "expiresIn": 3600,
            },
        ),
        (
            200,
            {
                "body": {
                    "restrictedResources": [
                        {"method": "GET", "path": "/orders/v0/orders/943-12-123434/address"}
                    ]
                }
            },
            {
                "restrictedDataToken": "Atz.sprdt|AODFNESLjAsAhRmHjNgHpi0U-Dme37rR6CuUpSR",
                "expiresIn": 3600,
            },
        ),
        (
            400,
            {
                "body": {
                    "targetApplication": "amzn1.sellerapps.app.target-application",
                    "restrictedResources": [
                        {"method": "", "path": "/orders/v1/orders/902-1845936-5435065/address"}
                    ],
                }
            },
            {
                "errors": [
                    {
                        "code": "InvalidRequest",
                        "message": "Request is missing or has invalid parameters",
                        "details": "Resource not provided.",
                    }
                ]
            },
        ),
    ],
    "createFeed": [
        (
            202,
            {
                "body": {
                    "feedType": "POST_PRODUCT_DATA",
                    "marketplaceIds": ["ATVPDKIKX0DER", "A1F83G8C2ARO7P"],
                    "inputFeedDocumentId": "3d4e42b5-1d6e-44e8-a89c-2abfca0625bb",
                }
            },
            {"feedId": "3485934"},
        ),
        (
            400,
            {
                "body": {
                    "marketplaceIds": ["ATVPDKIKX0DER", "A1F83G8C2ARO7P"],
                    "inputFeedDocumentId": "badDocumentId",
                }
            },
            {"errors": [{"code": "400", "message": "Invalid input", "details": "Invalid input"}]},
        ),
    ],
    "getFeed": [
        (
            200,
            {"feedId": "feedId1"},
            {
                "feedId": "FeedId1",
                "feedType": "POST_PRODUCT_DATA",
                "createdTime": "2024-03-11T13:16:24.630Z",
                "processingStatus": "CANCELLED",
                "processingStartTime": "2024-03-11T13:16:24.630Z",
                "processingEndTime": "2024-03-11T13:16:24.630Z",
            },
        ),
        (
            400,
            {"feedId": "badFeedId1"},
            {"errors": [{"code": "400", "message": "Invalid input", "details": "Invalid input"}]},
        ),
    ],
    "createFeedDocument": [
        (
            201,
            {"body": {"contentType": "text/tab-separated-values; charset=UTF-8"}},
            {
                "feedDocumentId": "3d4e42b5-1d6e-44e8-a89c-2abfca0625bb",
                "url": "https://d34o8swod1owfl.cloudfront.net/Feed_101__POST_PRODUCT_DATA_.xml",
            },
        ),
        (
            400,
            {"body": {}},
            {"errors": [{"code": "400", "message": "Invalid input", "details": "Invalid input"}]},
        ),
    ],
    "getFeedDocument": [
        (
            200,
            {"feedDocumentId": "0356cf79-b8b0-4226-b4b9-0ee058ea5760"},
            {
                "feedDocumentId": "0356cf79-b8b0-4226-b4b9-0ee058ea5760",
                "url": "https://d34o8swod1owfl.cloudfront.net/Feed_101__POST_PRODUCT_DATA_.xml",
            },
        ),
        (
            400,
            {"feedDocumentId": "badDocumentId1"},
            {"errors": [{"code": "400", "message": "Invalid input", "details": "Invalid input"}]},
        ),
    ],
    "getMarketplaceParticipations": [
        (
            200,
            {},
            {
                "payload": [
                    {
                        "marketplace": {
                            "id": "ATVPDKIKX0DER",
                            "countryCode": "US",
                            "name": "Amazon.com",
                            "defaultCurrencyCode": "USD",
                            "defaultLanguageCode": "en_US",
                            "domainName": "www.amazon.com",
                        },
                        "storeName": "BestSellerStore",
                        "participation": {"isParticipating": True, "hasSuspendedListings": False},
                    }
                ]
            },
        )
    ],
    "searchCatalogItems": [
        (
            200,
            {
                "keywords": ["samsung", "tv"],
                "marketplaceIds": ["ATVPDKIKX0DER"],
                "includedData": [
                    "classifications",
                    "dimensions",
                    "identifiers",
                    "images",
                    "productTypes",
                    "relationships",
                    "salesRanks",
                    "summaries",
                    "vendorDetails",
                ],
            },
            {
                "numberOfResults": 1,
                "pagination": {
                    "nextToken": "xsdflkj324lkjsdlkj3423klkjsdfkljlk2j34klj2l3k4jlksdjl234",
                    "previousToken": "ilkjsdflkj234lkjds234234lkjl234lksjdflkj234234lkjsfsdflkj333d",
                },
                "refinements": {
                    "brands": [{"numberOfResults": 1, "brandName": "SAMSUNG"}],
                    "classifications": [
                        {
                            "numberOfResults": 1,
                            "displayName": "Electronics",
                            "classificationId": "493964",
                        }
                    ],
                },
                "items": [
                    {
                        "asin": "B07N4M94X4",
                        "classifications": [
                            {
                                "marketplaceId": "ATVPDKIKX0DER",
                                "classifications": [
                                    {
                                        "displayName": "QLED TVs",
                                        "classificationId": "21489946011",
                                        "parent": {
                                            "displayName": "Televisions",
                                            "classificationId": "172659",
                                            "parent": {
                                                "displayName": "Television & Video",
                                                "classificationId": "1266092011",
                                                "parent": {
                                                    "displayName": "Electronics",
                                                    "classificationId": "172282",
                                                },
                                            },
                                        },
                                    }
                                ],
                            }
                        ],
                        "dimensions": [
                            {
                                "marketplaceId": "ATVPDKIKX0DER",
                                "item": {
                                    "height": {"unit": "inches", "value": 41.4},
                                    "length": {"unit": "inches", "value": 2.4},
                                    "weight": {"unit": "pounds", "value": 107.6},
                                    "width": {"unit": "inches", "value": 72.4},
                                },
                                "package": {
                                    "height": {"unit": "inches", "value": 10.49999998929},
                                    "length": {"unit": "inches", "value": 79.9999999184},
                                    "weight": {"unit": "kilograms", "value": 62.142},
                                    "width": {"unit": "inches", "value": 47.99999995104},
                                },
                            }
                        ],
                        "identifiers": [
                            {
                                "marketplaceId": "ATVPDKIKX0DER",
                                "identifiers": [
                                    {"identifier": "0887276302195", "identifierType": "EAN"},
                                    {"identifier": "00887276302195", "identifierType": "GTIN"},
                                    {"identifier": "887276302195", "identifierType": "UPC"},
                                ],
                            }
                        ],
                        "images": [
                            {
                                "marketplaceId": "ATVPDKIKX0DER",
                                "images": [
                                    {
                                        "variant": "MAIN",
                                        "link": "https://m.media-amazon.com/images/I/91uohwV+k3L.jpg",
                                        "height": 1707,
                                        "width": 2560,
                                    },
                                    {
                                        "variant": "MAIN",
                                        "link": "https://m.media-amazon.com/images/I/51DZzp3w3vL.jpg",
                                        "height": 333,
                                        "width": 500,
                                    },
                                    {
                                        "variant": "PT01",
                                        "link": "https://m.media-amazon.com/images/I/81w2rTVShlL.jpg",
                                        "height": 2560,
                                        "width": 2560,
                                    },
                                    {
                                        "variant": "PT01",
                                        "link": "https://m.media-amazon.com/images/I/41Px9eq9tkL.jpg",
                                        "height": 500,
                                        "width": 500,
                                    },
                                    {
                                        "variant": "PT02",
                                        "link": "https://m.media-amazon.com/images/I/51NTNhdhPyL.jpg",
                                        "height": 375,
                                        "width": 500,
                                    },
                                    {
                                        "variant": "PT03",
                                        "link": "https://m.media-amazon.com/images/I/51o4zpL+A3L.jpg",
                                        "height": 375,
                                        "width": 500,
                                    },
                                    {
                                        "variant": "PT04",
                                        "link": "https://m.media-amazon.com/images/I/71ux2k9GAZL.jpg",
                                        "height": 1000,
                                        "width": 1000,
                                    },
                                    {
                                        "variant": "PT04",
                                        "link": "https://m.media-amazon.com/images/I/61UUX63yw1L.jpg",
                                        "height": 500,
                                        "width": 500,
                                    },
                                    {
                                        "variant": "PT05",
                                        "link": "https://m.media-amazon.com/images/I/61LwHkljX-L.jpg",
                                        "height": 1000,
                                        "width": 1000,
                                    },
                                    {
                                        "variant": "PT05",
                                        "link": "https://m.media-amazon.com/images/I/51wJTQty3PL.jpg",
                                        "height": 500,
                                        "width": 500,
                                    },
                                    {
                                        "variant": "PT06",
                                        "link": "https://m.media-amazon.com/images/I/61uvoB4VvoL.jpg",
                                        "height": 1000,
                                        "width": 1000,
                                    },
                                    {
                                        "variant": "PT06",
                                        "link": "https://m.media-amazon.com/images/I/51ZexIO628L.jpg",
                                        "height": 500,
                                        "width": 500,
                                    },
                                    {
                                        "variant": "PT07",
                                        "link": "https://m.media-amazon.com/images/I/7121MGd2ncL.jpg",
                                        "height": 1000,
                                        "width": 1000,
                                    },
                                    {
                                        "variant": "PT07",
                                        "link": "https://m.media-amazon.com/images/I/61QK+JBMrGL.jpg",
                                        "height": 500,
                                        "width": 500,
                                    },
                                    {
                                        "variant": "PT08",
                                        "link": "https://m.media-amazon.com/images/I/61ECcGlG4IL.jpg",
                                        "height": 1080,
                                        "width": 1920,
                                    },
                                    {
                                        "variant": "PT08",
                                        "link": "https://m.media-amazon.com/images/I/31TxwfqvB5L.jpg",
                                        "height": 281,
                                        "width": 500,
                                    },
                                ],
                            }
                        ],
                        "productTypes": [
                            {"marketplaceId": "ATVPDKIKX0DER", "productType": "TELEVISION"}
                        ],
                        "salesRanks": [
                            {
                                "marketplaceId": "ATVPDKIKX0DER",
                                "classificationRanks": [
                                    {
                                        "classificationId": "21489946011",
                                        "title": "QLED TVs",
                                        "link": "http://www.amazon.com/gp/bestsellers/electronics/21489946011",
                                        "rank": 113,
                                    }
                                ],
                                "displayGroupRanks": [
                                    {
                                        "websiteDisplayGroup": "ce_display_on_website",
                                        "title": "Electronics",
                                        "link": "http://www.amazon.com/gp/bestsellers/electronics",
                                        "rank": 72855,
                                    }
                                ],
                            }
                        ],
                        "summaries": [
                            {
                                "marketplaceId": "ATVPDKIKX0DER",
                                "brand": "SAMSUNG",
                                "browseClassification": {
                                    "displayName": "QLED TVs",
                                    "classificationId": "21489946011",
                                },
                                "color": "Black",
                                "itemClassification": "BASE_PRODUCT",
                                "itemName": "Samsung QN82Q60RAFXZA Flat 82-Inch QLED 4K Q60 Series "
                                "(2019) Ultra HD Smart TV with HDR and Alexa "
                                "Compatibility",
                                "manufacturer": "Samsung",
                                "modelNumber": "QN82Q60RAFXZA",
                                "packageQuantity": 1,
                                "partNumber": "QN82Q60RAFXZA",
                                "size": "82-Inch",
                                "style": "TV only",
                                "websiteDisplayGroup": "home_theater_display_on_website",
                                "websiteDisplayGroupName": "Home Theater",
                            }
                        ],
                        "relationships": [
                            {
                                "marketplaceId": "ATVPDKIKX0DER",
                                "relationships": [
                                    {
                                        "type": "VARIATION",
                                        "parentAsins": ["B08J7TQ9FL"],
                                        "variationTheme": {
                                            "attributes": ["color", "size"],
                                            "theme": "SIZE_NAME/COLOR_NAME",
                                        },
                                    }
                                ],
                            }
                        ],
                        "vendorDetails": [
                            {
                                "marketplaceId": "ATVPDKIKX0DER",
                                "brandCode": "SAMF9",
                                "manufacturerCode": "SAMF9",
                                "manufacturerCodeParent": "SAMF9",
                                "productCategory": {
                                    "displayName": "Televisions",
                                    "value": "50400100",
                                },
                                "productGroup": "Home Entertainment",
                                "productSubcategory": {
                                    "displayName": "Plasma TVs",
                                    "value": "50400120",
                                },
                                "replenishmentCategory": "OBSOLETE",
                            }
                        ],
                    }
                ],
            },
        ),
        (
            400,
            {
                "keywords": ["samsung", "tv"],
                "marketplaceIds": [""],
                "includedData": [
                    "classifications",
                    "dimensions",
                    "identifiers",
                    "images",
                    "productTypes",
                    "relationships",
                    "salesRanks",
                    "summaries",
                    "vendorDetails",
                ],
            },
            {
                "errors": [
                    {
                        "code": "400",
                        "message": "Request has missing or invalid parameters and cannot be parsed.",
                    }
                ]
            },
        ),
    ],
    "getCatalogItem": [
        (
            200,
            {
                "asin": "B07N4M94X4",
                "marketplaceIds": ["ATVPDKIKX0DER"],
                "includedData": [
                    "classifications",
                    "dimensions",
                    "identifiers",
                    "images",
                    "productTypes",
                    "relationships",
                    "salesRanks",
                    "summaries",
                    "vendorDetails",
                ],
            },
            {
                "asin": "B07N4M94X4",
                "classifications": [
                    {
                        "marketplaceId": "ATVPDKIKX0DER",
                        "classifications": [
                            {
                                "displayName": "QLED TVs",
                                "classificationId": "21489946011",
                                "parent": {
                                    "displayName": "Televisions",
                                    "classificationId": "172659",
                                    "parent": {
                                        "displayName": "Television & Video",
                                        "classificationId": "1266092011",
                                        "parent": {
                                            "displayName": "Electronics",
                                            "classificationId": "172282",
                                        },
                                    },
                                },
                            }
                        ],
                    }
                ],
                "dimensions": [
                    {
                        "marketplaceId": "ATVPDKIKX0DER",
                        "item": {
                            "height": {"unit": "inches", "value": 41.4},
                            "length": {"unit": "inches", "value": 2.4},
                            "weight": {"unit": "pounds", "value": 107.6},
                            "width": {"unit": "inches", "value": 72.4},
                        },
                        "package": {
                            "height": {"unit": "inches", "value": 10.49999998929},
                            "length": {"unit": "inches", "value": 79.9999999184},
                            "weight": {"unit": "kilograms", "value": 62.142},
                            "width": {"unit": "inches", "value": 47.99999995104},
                        },
                    }
                ],
                "identifiers": [
                    {
                        "marketplaceId": "ATVPDKIKX0DER",
                        "identifiers": [
                            {"identifier": "0887276302195", "identifierType": "EAN"},
                            {"identifier": "00887276302195", "identifierType": "GTIN"},
                            {"identifier": "887276302195", "identifierType": "UPC"},
                        ],
                    }
                ],
                "images": [
                    {
                        "marketplaceId": "ATVPDKIKX0DER",
                        "images": [
                            {
                                "variant": "MAIN",
                                "link": "https://m.media-amazon.com/images/I/91uohwV+k3L.jpg",
                                "height": 1707,
                                "width": 2560,
                            },
                            {
                                "variant": "MAIN",
                                "link": "https://m.media-amazon.com/images/I/51DZzp3w3vL.jpg",
                                "height": 333,
                                "width": 500,
                            },
                            {
                                "variant": "PT01",
                                "link": "https://m.media-amazon.com/images/I/81w2rTVShlL.jpg",
                                "height": 2560,
                                "width": 2560,
                            },
                            {
                                "variant": "PT01",
                                "link": "https://m.media-amazon.com/images/I/41Px9eq9tkL.jpg",
                                "height": 500,
                                "width": 500,
                            },
                            {
                                "variant": "PT02",
                                "link": "https://m.media-amazon.com/images/I/51NTNhdhPyL.jpg",
                                "height": 375,
                                "width": 500,
                            },
                            {
                                "variant": "PT03",
                                "link": "https://m.media-amazon.com/images/I/51o4zpL+A3L.jpg",
                                "height": 375,
                                "width": 500,
                            },
                            {
                                "variant": "PT04",
                                "link": "https://m.media-amazon.com/images/I/71ux2k9GAZL.jpg",
                                "height": 1000,
                                "width": 1000,
                            },
                            {
                                "variant": "PT04",
                                "link": "https://m.media-amazon.com/images/I/61UUX63yw1L.jpg",
                                "height": 500,
                                "width": 500,
                            },
                            {
                                "variant": "PT05",
                                "link": "https://m.media-amazon.com/images/I/61LwHkljX-L.jpg",
                                "height": 1000,
                                "width": 1000,
                            },
                            {
                                "variant": "PT05",
                                "link": "https://m.media-amazon.com/images/I/51wJTQty3PL.jpg",
                                "height": 500,
                                "width": 500,
                            },
                            {
                                "variant": "PT06",
                                "link": "https://m.media-amazon.com/images/I/61uvoB4VvoL.jpg",
                                "height": 1000,
                                "width": 1000,
                            },
                            {
                                "variant": "PT06",
                                "link": "https://m.media-amazon.com/images/I/51ZexIO628L.jpg",
                                "height": 500,
                                "width": 500,
                            },
                            {
                                "variant": "PT07",
                                "link": "https://m.media-amazon.com/images/I/7121MGd2ncL.jpg",
                                "height": 1000,
                                "width": 1000,
                            },
                            {
                                "variant": "PT07",
                                "link": "https://m.media-amazon.com/images/I/61QK+JBMrGL.jpg",
                                "height": 500,
                                "width": 500,
                            },
                            {
                                "variant": "PT08",
                                "link": "https://m.media-amazon.com/images/I/61ECcGlG4IL.jpg",
                                "height": 1080,
                                "width": 1920,
                            },
                            {
                                "variant": "PT08",
                                "link": "https://m.media-amazon.com/images/I/31TxwfqvB5L.jpg",
                                "height": 281,
                                "width": 500,
                            },
                        ],
                    }
                ],
                "productTypes": [{"marketplaceId": "ATVPDKIKX0DER", "productType": "TELEVISION"}],
                "salesRanks": [
                    {
                        "marketplaceId": "ATVPDKIKX0DER",
                        "classificationRanks": [
                            {
                                "classificationId": "21489946011",
                                "title": "QLED TVs",
                                "link": "http://www.amazon.com/gp/bestsellers/electronics/21489946011",
                                "rank": 113,
                            }
                        ],
                        "displayGroupRanks": [
                            {
                                "websiteDisplayGroup": "ce_display_on_website",
                                "title": "Electronics",
                                "link": "http://www.amazon.com/gp/bestsellers/electronics",
                                "rank": 72855,
                            }
                        ],
                    }
                ],
                "summaries": [
                    {
                        "marketplaceId": "ATVPDKIKX0DER",
                        "brand": "SAMSUNG",
                        "browseClassification": {
                            "displayName": "QLED TVs",
                            "classificationId": "21489946011",
                        },
                        "color": "Black",
                        "itemClassification": "BASE_PRODUCT",
                        "itemName": "Samsung QN82Q60RAFXZA Flat 82-Inch QLED 4K Q60 Series (2019) Ultra "
                        "HD Smart TV with HDR and Alexa Compatibility",
                        "manufacturer": "Samsung",
                        "modelNumber": "QN82Q60RAFXZA",
                        "packageQuantity": 1,
                        "partNumber": "QN82Q60RAFXZA",
                        "size": "82-Inch",
                        "style": "TV only",
                        "websiteDisplayGroup": "home_theater_display_on_website",
                        "websiteDisplayGroupName": "Home Theater",
                    }
                ],
                "relationships": [
                    {
                        "marketplaceId": "ATVPDKIKX0DER",
                        "relationships": [
                            {
                                "type": "VARIATION",
                                "parentAsins": ["B08J7TQ9FL"],
                                "variationTheme": {
                                    "attributes": ["color", "size"],
                                    "theme": "SIZE_NAME/COLOR_NAME",
                                },
                            }
                        ],
                    }
                ],
                "vendorDetails": [
                    {
                        "marketplaceId": "ATVPDKIKX0DER",
                        "brandCode": "SAMF9",
                        "manufacturerCode": "SAMF9",
                        "manufacturerCodeParent": "SAMF9",
                        "productCategory": {"displayName": "Televisions", "value": "50400100"},
                        "productGroup": "Home Entertainment",
                        "productSubcategory": {"displayName": "Plasma TVs", "value": "50400120"},
                        "replenishmentCategory": "OBSOLETE",
                    }
                ],
            },
        ),
        (
            400,
            {
                "asin": "",
                "marketplaceIds": ["ATVPDKIKX0DER"],
                "includedData": [
                    "classifications",
                    "dimensions",
                    "identifiers",
                    "images",
                    "productTypes",
                    "relationships",
                    "salesRanks",
                    "summaries",
                    "vendorDetails",
                ],
            },
            {
                "errors": [
                    {
                        "code": "400",
                        "message": "Request has missing or invalid parameters and cannot be parsed.",
                    }
                ]
            },
        ),
    ],
    "getListingsItem": [
        (
            200,
            {},
            {
                "sku": "GM-ZDPI-9B4E",
                "summaries": [
                    {
                        "marketplaceId": "ATVPDKIKX0DER",
                        "asin": "B071VG5N9D",
                        "productType": "LUGGAGE",
                        "conditionType": "new_new",
                        "status": ["BUYABLE"],
                        "itemName": "Hardside Carry-On Spinner Suitcase Luggage",
                        "createdDate": "2021-02-01T00:00:00Z",
                        "lastUpdatedDate": "2021-03-01T00:00:00Z",
                        "mainImage": {
                            "link": "https://www.example.com/luggage.png",
                            "height": 500,
                            "width": 500,
                        },
                    },
                    {
                        "marketplaceId": "A2EUQ1WTGCTBG2",
                        "asin": "B071VG5N9D",
                        "productType": "LUGGAGE",
                        "conditionType": "new_new",
                        "status": [],
                        "itemName": "Hardside Carry-On Spinner Suitcase Luggage",
                        "createdDate": "2021-02-02T01:00:00Z",
                        "lastUpdatedDate": "2021-03-05T00:00:00Z",
                        "mainImage": {
                            "link": "https://www.example.com/luggage.png",
                            "height": 500,
                            "width": 500,
                        },
                    },
                ],
                "offers": [
                    {
                        "marketplaceId": "ATVPDKIKX0DER",
                        "offerType": "B2C",
                        "price": {"currencyCode": "USD", "amount": "100.00"},
                        "audience": {"value": "ALL", "displayName": "Sell on Amazon"},
                    },
                    {
                        "marketplaceId": "A2EUQ1WTGCTBG2",
                        "offerType": "B2C",
                        "price": {"currencyCode": "CAD", "amount": "130.00"},
                        "audience": {"value": "ALL", "displayName": "Sell on Amazon"},
                    },
                ],
                "fulfillmentAvailability": [{"fulfillmentChannelCode": "DEFAULT", "quantity": 100}],
                "issues": [
                    {
                        "code": "90220",
                        "message": "'size' is required but not supplied.",
                        "severity": "ERROR",
                        "attributeNames": ["size"],
                        "categories": ["MISSING_ATTRIBUTE"],
                        "marketplaceIds": ["ATVPDKIKX0DER"],
                    },
                    {
                        "code": "18027",
                        "message": "We believe the main image has text, logo, graphic, or watermark that is "
                        "not permitted for this product type. Submit a compliant image to lift "
                        "the suppression. Also refer to Product image requirements.",
                        "severity": "ERROR",
                        "categories": ["INVALID_IMAGE"],
                        "enforcements": {
                            "actions": [{"action": "SEARCH_SUPPRESSED"}],
                            "exemption": {
                                "status": "EXEMPT_UNTIL_EXPIRY_DATE",
                                "expiryDate": "2025-05-28T00:36:48.914Z",
                            },
                        },
                        "marketplaceIds": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"],
                    },
                    {
                        "code": "99300",
                        "message": "Product Detail Page Rules Violation (Inaccurate information on product "
                        "detail page).",
                        "severity": "ERROR",
                        "categories": [],
                        "enforcements": {
                            "actions": [{"action": "ATTRIBUTE_SUPPRESSED"}],
                            "exemption": {"status": "EXEMPT"},
                        },
                        "marketplaceIds": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"],
                    },
                    {
                        "code": "18155",
                        "message": "The 'minimum price' is greater than the selling price (excluding "
                        "shipping) for the listing. Review and update your price and/or minimum "
                        "price.",
                        "severity": "ERROR",
                        "categories": ["INVALID_PRICE"],
                        "enforcements": {
                            "actions": [{"action": "LISTING_SUPPRESSED"}],
                            "exemption": {"status": "NOT_EXEMPT"},
                        },
                        "marketplaceIds": ["ATVPDKIKX0DER"],
                    },
                    {
                        "code": "18742",
                        "message": "Restricted Products Policy Violation",
                        "severity": "ERROR",
                        "categories": [],
                        "enforcements": {
                            "actions": [{"action": "CATALOG_ITEM_REMOVED"}],
                            "exemption": {"status": "NOT_EXEMPT"},
                        },
                        "marketplaceIds": ["ATVPDKIKX0DER"],
                    },
                ],
            },
        ),
        (
            400,
            {"sku": "BadSKU"},
            {
                "errors": [
                    {"code": "BAD_REQUEST", "message": "Invalid input", "details": "Invalid input"}
                ]
            },
        ),
    ],
}
