"""Drives the Alpaca simulator with the official SDK, alpaca-py, end to end.

Usage: alpaca_py_client.py BASE_URL KEY SECRET SYMBOL OTHER_SYMBOL
Prints one JSON object (the last line) with what the SDK saw; the Java test asserts on it.
Market time is stepped through the simulator's control API (POST /sim/advance).
"""
import json
import sys
import threading
import time
from datetime import datetime, timezone

import requests
from alpaca.data.historical import StockHistoricalDataClient
from alpaca.data.live import StockDataStream
from alpaca.data.requests import StockBarsRequest
from alpaca.data.timeframe import TimeFrame, TimeFrameUnit
from alpaca.trading.client import TradingClient
from alpaca.trading.enums import OrderSide, QueryOrderStatus, TimeInForce
from alpaca.trading.requests import GetOrdersRequest, LimitOrderRequest, MarketOrderRequest, ReplaceOrderRequest
from alpaca.trading.stream import TradingStream

base, key, secret, symbol, other = sys.argv[1:6]
ws = base.replace("http://", "ws://")
out = {}


def advance(minutes):
    requests.post(base + "/sim/advance", json={"minutes": minutes}, timeout=30).raise_for_status()


def run_stream(stream):
    t = threading.Thread(target=stream.run, daemon=True)
    t.start()
    return t


# Both streams first, so they see what follows.
trade_events = []
trading_stream = TradingStream(key, secret, paper=True, url_override=ws + "/stream")


async def on_trade(update):
    trade_events.append({"event": str(update.event.value if hasattr(update.event, "value") else update.event),
                         "execution_id": str(update.execution_id) if update.execution_id else None,
                         "qty": str(update.qty) if update.qty is not None else None,
                         "order_id": str(update.order.id), "status": update.order.status.value})


trading_stream.subscribe_trade_updates(on_trade)
run_stream(trading_stream)

bars_seen = []
data_stream = StockDataStream(key, secret, url_override=ws + "/v2/iex")


async def on_bar(bar):
    bars_seen.append({"symbol": bar.symbol, "t": bar.timestamp.isoformat(), "close": bar.close,
                      "volume": bar.volume, "vwap": bar.vwap, "trades": bar.trade_count})


data_stream.subscribe_bars(on_bar, symbol)
run_stream(data_stream)
time.sleep(2.0)  # let both streams connect, authenticate and subscribe

trading = TradingClient(key, secret, paper=True, url_override=base)
account = trading.get_account()
out["cash"] = str(account.cash)
out["account_status"] = account.status.value if hasattr(account.status, "value") else str(account.status)

advance(1)
placed = trading.submit_order(MarketOrderRequest(symbol=symbol, qty=5, side=OrderSide.BUY,
                                                 time_in_force=TimeInForce.DAY, client_order_id="py-market-1"))
out["placed_status"] = placed.status.value
advance(2)
filled = trading.get_order_by_client_id("py-market-1")
out["filled_status"] = filled.status.value
out["filled_qty"] = str(filled.filled_qty)
out["filled_avg_price"] = str(filled.filled_avg_price)

limit = trading.submit_order(LimitOrderRequest(symbol=other, qty=3, side=OrderSide.BUY, time_in_force=TimeInForce.GTC,
                                               limit_price=1.00))
replacement = trading.replace_order_by_id(limit.id, ReplaceOrderRequest(qty=4, limit_price=1.50))
out["replacement_replaces"] = str(replacement.replaces)
out["limit_id"] = str(limit.id)
out["old_status"] = trading.get_order_by_id(limit.id).status.value
trading.cancel_order_by_id(replacement.id)
out["replacement_status"] = trading.get_order_by_id(replacement.id).status.value
out["open_after_cancel"] = len(trading.get_orders(GetOrdersRequest(status=QueryOrderStatus.OPEN)))

positions = trading.get_all_positions()
out["positions"] = {p.symbol: str(p.qty) for p in positions}
closed = trading.close_all_positions(cancel_orders=True)
out["close_all"] = [{"symbol": c.symbol, "status": c.status} for c in closed]
advance(2)
out["positions_after_close"] = len(trading.get_all_positions())

data = StockHistoricalDataClient(key, secret, url_override=base)
request = StockBarsRequest(symbol_or_symbols=[symbol, other], timeframe=TimeFrame(15, TimeFrameUnit.Minute),
                           start=datetime(2024, 3, 1, tzinfo=timezone.utc))
bars = data.get_stock_bars(request)
out["rest_bars"] = {s: len(v) for s, v in bars.data.items()}
out["rest_first"] = {s: {"t": v[0].timestamp.isoformat(), "open": v[0].open, "vwap": v[0].vwap,
                         "trades": v[0].trade_count} for s, v in bars.data.items()}

deadline = time.time() + 20
while time.time() < deadline and (len(bars_seen) < 3 or len(trade_events) < 6):
    time.sleep(0.2)
out["stream_bars"] = bars_seen
out["trade_events"] = trade_events
data_stream.stop()
trading_stream.stop()
print(json.dumps(out))
