"""Reads back, with the official SDK (alpaca-py), the orders and positions of an account.

Usage: alpaca_py_readback.py BASE_URL KEY SECRET
Prints one JSON object (the last line): every order (client order id, symbol, side, status,
quantity, filled quantity) and every position (symbol: quantity); the Java test compares them
with the trader's own state.
"""
import json
import sys

from alpaca.trading.client import TradingClient
from alpaca.trading.enums import QueryOrderStatus
from alpaca.trading.requests import GetOrdersRequest

base, key, secret = sys.argv[1:4]
client = TradingClient(key, secret, paper=True, url_override=base)

orders = {}
until = None
while True:
    page = client.get_orders(GetOrdersRequest(status=QueryOrderStatus.ALL, limit=500, direction="desc", until=until))
    for o in page:
        orders[o.client_order_id] = {
            "symbol": o.symbol,
            "side": o.side.value,
            "status": o.status.value,
            "qty": str(o.qty),
            "filled_qty": str(o.filled_qty),
        }
    if len(page) < 500:
        break
    until = page[-1].submitted_at

positions = {p.symbol: str(p.qty) for p in client.get_all_positions()}
print(json.dumps({"orders": orders, "positions": positions}))
