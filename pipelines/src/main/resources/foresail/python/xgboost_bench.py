"""Python peer of `foresail bench training`: trains XGBoost on the matrix the Java side wrote,
with the same parameters and threads, and prints `name: value` lines.

Usage: python xgboost_bench.py DIR   (DIR holds x.f32, y.f32, shape.txt and params.json)
"""
import json
import sys
import time

import numpy as np
import xgboost as xgb


def main(d):
    rows, cols = (int(v) for v in open(f"{d}/shape.txt").read().split())
    x = np.fromfile(f"{d}/x.f32", dtype="<f4").reshape(rows, cols)
    y = np.fromfile(f"{d}/y.f32", dtype="<f4")
    spec = json.load(open(f"{d}/params.json"))
    rounds = spec.pop("rounds")
    runs = spec.pop("runs")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        dtrain = xgb.DMatrix(x, label=y, missing=np.nan)
        xgb.train(spec, dtrain, num_boost_round=rounds)
        times.append(time.perf_counter() - t0)
    times.sort()
    print(f"python_xgboost_version: {xgb.__version__}")
    print(f"python_xgboost_fit_s: {times[len(times) // 2]:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
