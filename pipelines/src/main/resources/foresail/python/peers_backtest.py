"""The same simple strategy in backtrader and vectorbt, on the bars and scores Foresail replays.

Strategy: at each bar's close, hold the k highest-scored names long at equal weight (gross
exposure `gross`), fractional shares, orders filled at the next bar's open, commission `fee` of
the traded notional, nothing else. Target shares are sized on the equity and price at the
decision bar's close, as Foresail's planner does.

Usage: peers_backtest.py BARS.csv SCORES.csv K GROSS FEE CASH  ->  JSON on stdout:
{"backtrader": {"equity": [...], "seconds": s}, "vectorbt": {...}}
Equity is per bar, at its close, after that bar's fills.
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def load(bars_csv, scores_csv):
    bars = pd.read_csv(bars_csv, parse_dates=["ts"])
    scores = pd.read_csv(scores_csv, parse_dates=["ts"])
    fields = {f: bars.pivot(index="ts", columns="symbol", values=f) for f in ["open", "high", "low", "close", "volume"]}
    s = scores.pivot(index="ts", columns="symbol", values="score").reindex(index=fields["close"].index,
                                                                        columns=fields["close"].columns)
    return fields, s


def targets(scores, k, gross):
    """Per bar, the weight of each name: gross / k for the k highest scores (ties: later column wins)."""
    w = np.zeros(scores.shape)
    values = scores.to_numpy()
    for t in range(values.shape[0]):
        row = values[t]
        ok = np.where(~np.isnan(row))[0]
        if len(ok) == 0:
            continue
        # Rank by score, ties broken towards the later column, as Foresail's ranking does.
        order = sorted(ok, key=lambda i: (row[i], i))
        for i in order[-min(k, len(ok)):]:
            w[t, i] = gross / min(k, len(ok))
    return w


def run_backtrader(fields, weights, fee, cash):
    import backtrader as bt

    class Fractional(bt.CommInfoBase):
        params = (("stocklike", True), ("commtype", bt.CommInfoBase.COMM_PERC), ("percabs", True))

        def getsize(self, price, cash):
            return self.p.leverage * (cash / price)

    symbols = list(fields["close"].columns)

    class TopK(bt.Strategy):
        def __init__(self):
            self.t = 0
            self.equity = []

        def next(self):
            self.equity.append(self.broker.getvalue())
            value = self.broker.getvalue()
            w = weights[self.t]
            self.t += 1
            orders = []
            for i, d in enumerate(self.datas):
                held = self.getposition(d).size
                target = w[i] * value / d.close[0]
                delta = target - held
                if abs(delta) > 1e-12:
                    orders.append((delta, d))
            # Sells first, so that the buys find the cash the sells free.
            for delta, d in sorted(orders, key=lambda o: o[0]):
                if delta < 0:
                    self.sell(data=d, size=-delta)
                else:
                    self.buy(data=d, size=delta)

    cerebro = bt.Cerebro(stdstats=False)
    for s in symbols:
        frame = pd.DataFrame({f: fields[f][s] for f in ["open", "high", "low", "close", "volume"]})
        frame.index = frame.index.tz_localize(None)
        cerebro.adddata(bt.feeds.PandasData(dataname=frame, name=s))
    cerebro.broker.setcash(cash)
    cerebro.broker.addcommissioninfo(Fractional(commission=fee))
    cerebro.broker.set_checksubmit(False)
    cerebro.addstrategy(TopK)
    start = time.perf_counter()
    strategy = cerebro.run()[0]
    return {"equity": strategy.equity, "seconds": time.perf_counter() - start}


def run_vectorbt(fields, weights, fee, cash):
    import vectorbt as vbt

    close = fields["close"]
    opens = fields["open"]
    n = close.shape[0]
    # The decision at bar t's close trades at bar t+1's open, sized on bar t's close.
    size = np.full(close.shape, np.nan)
    size[1:] = weights[:-1]
    val_price = close.shift(1).to_numpy(copy=True)
    val_price[0] = close.to_numpy()[0]
    start = time.perf_counter()
    pf = vbt.Portfolio.from_orders(close=close, size=pd.DataFrame(size, index=close.index, columns=close.columns),
                                   size_type="targetpercent", price=opens,
                                   val_price=pd.DataFrame(val_price, index=close.index, columns=close.columns),
                                   fees=fee, init_cash=cash, cash_sharing=True, group_by=True, call_seq="auto",
                                   freq="15min")
    equity = pf.value().to_numpy()
    return {"equity": [float(x) for x in equity], "seconds": time.perf_counter() - start}


def main():
    bars_csv, scores_csv, k, gross, fee, cash = sys.argv[1:7]
    fields, scores = load(bars_csv, scores_csv)
    weights = targets(scores, int(k), float(gross))
    out = {
        "backtrader": run_backtrader(fields, weights, float(fee), float(cash)),
        "vectorbt": run_vectorbt(fields, weights, float(fee), float(cash)),
        "symbols": list(fields["close"].columns),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
