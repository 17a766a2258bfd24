"""Reads daily strategy and benchmark returns (CSV: r,b) and prints empyrical's figures as JSON.

Foresail measures drawdown from the starting cash; empyrical from the first day's close. Prepending
a zero-return day to empyrical's input gives Foresail's convention, so drawdown and Calmar are
computed that way here (annual return on the returns themselves)."""
import json
import sys

import empyrical as ep
import numpy as np

data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
r, b = data[:, 0], data[:, 1]
from_start = np.r_[0.0, r]
alpha, beta = ep.alpha_beta(r, b)
print(json.dumps({
    "annual_return": float(ep.annual_return(r)),
    "annual_volatility": float(ep.annual_volatility(r)),
    "sharpe": float(ep.sharpe_ratio(r)),
    "sortino": float(ep.sortino_ratio(r)),
    "max_drawdown": float(ep.max_drawdown(from_start)),
    "calmar": float(ep.annual_return(r) / abs(ep.max_drawdown(from_start))),
    "alpha": float(alpha),
    "beta": float(beta),
    "benchmark_annual_return": float(ep.annual_return(b)),
}))
