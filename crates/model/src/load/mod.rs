//! Training load: daily series, ratios, monotony, fitness/fatigue and progression checks.
