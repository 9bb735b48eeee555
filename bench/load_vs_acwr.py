"""Benchmark C, the Python side: the `acwr` package (PyPI) on the same daily series.

Reads `date,load` (one row per consecutive day) and times, as one unit, the five things
Soleus's `compute_days` gives for every day: the three ACWR forms (rolling average coupled,
uncoupled, EWMA with span decay), Foster monotony and strain (sample sd), with the same
conventions as the model crate's reference test. Prints the median seconds of REPS runs and the
same checksums as the Rust side (sums over the days where each value is finite).
"""

import math
import sys
import time

import acwr
import pandas as pd


def metrics(load):
    return (
        acwr.acwr(load, method="rac", decay="span"),
        acwr.acwr(load, method="rau", decay="span"),
        acwr.acwr(load, method="ewma", decay="span"),
        acwr.monotony(load, ddof=1),
        acwr.strain(load, ddof=1),
    )


def main():
    path = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 21
    df = pd.read_csv(path, parse_dates=["date"])
    load = pd.Series(df["load"].to_numpy(dtype=float), index=pd.DatetimeIndex(df["date"]))
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        out = metrics(load)
        times.append(time.perf_counter() - start)
    times.sort()
    print(f"days={len(load)}")
    print(f"seconds={times[reps // 2]:e}")
    for name, s in zip(["rac", "rau", "ewma", "monotony", "strain"], out):
        total = sum(float(x) for x in s if math.isfinite(float(x)))
        print(f"sum_{name}={total:.6f}")


if __name__ == "__main__":
    main()
