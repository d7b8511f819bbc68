"""Background jobs of the orders app: thin, they take ids and call one service."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from colis.orders.services import order_weights_recompute


@db_task()
def order_weights_recompute_task(account_id: int, skus: list[str]) -> None:
    """Recompute open orders' weights after a batch of product weights changed."""
    order_weights_recompute(account_id=account_id, skus=skus)
