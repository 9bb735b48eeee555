"""Independent reference for soleus-model's daily load metrics.

Reads {"start": "YYYY-MM-DD", "loads": [...]} (one load per consecutive day) on stdin and
prints one JSON row per day: the three ACWR forms and Foster monotony/strain from the `acwr`
package (PyPI), and CTL/ATL/TSB/ramp from pandas' exponentially weighted mean.

Conventions matched: acute 7, chronic 28, EWMA span 2/(N+1) seeded with the first day, sample
sd (ddof=1), full windows only. Undefined values (NaN, and the infinities the package gives for
a zero denominator) are printed as null, which is how Soleus reports them.
"""

import json
import math
import sys

import acwr
import pandas as pd


def clean(x):
    x = float(x)
    return x if math.isfinite(x) else None


def main():
    doc = json.load(sys.stdin)
    idx = pd.date_range(doc["start"], periods=len(doc["loads"]), freq="D")
    load = pd.Series([float(v) for v in doc["loads"]], index=idx)
    rac = acwr.acwr(load, method="rac", decay="span")
    rau = acwr.acwr(load, method="rau", decay="span")
    ewma = acwr.acwr(load, method="ewma", decay="span")
    mono = acwr.monotony(load, ddof=1)
    strain = acwr.strain(load, ddof=1)
    # CTL/ATL start at 0: an EWMA over the series with a leading zero day, alpha = 1 - e^(-1/tau).
    padded = pd.concat([pd.Series([0.0]), load.reset_index(drop=True)], ignore_index=True)
    ctl_all = padded.ewm(alpha=1 - math.exp(-1 / 42), adjust=False).mean()
    atl_all = padded.ewm(alpha=1 - math.exp(-1 / 7), adjust=False).mean()
    ctl, atl = ctl_all.iloc[1:].to_numpy(), atl_all.iloc[1:].to_numpy()
    rows = []
    for i in range(len(load)):
        rows.append(
            {
                "acwr_rac": clean(rac.iloc[i]),
                "acwr_rau": clean(rau.iloc[i]),
                "acwr_ewma": clean(ewma.iloc[i]),
                "monotony": clean(mono.iloc[i]),
                "strain": clean(strain.iloc[i]),
                "ctl": float(ctl[i]),
                "atl": float(atl[i]),
                # Form going into the day: yesterday's CTL - ATL (both 0 before the start).
                "tsb": float(ctl_all.iloc[i] - atl_all.iloc[i]),
                "ramp": float(ctl[i] - (ctl[i - 7] if i >= 7 else 0.0)),
            }
        )
    json.dump(rows, sys.stdout)


if __name__ == "__main__":
    main()
