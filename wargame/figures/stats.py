"""The interval estimates every figure uses, in one place so captions can name them.

Proportions get Wilson score intervals (sound at small n and near 0 or 1, unlike the
normal approximation); means get Student-t intervals; a difference of two proportions gets
Newcombe's hybrid score interval (method 10, built from the two Wilson intervals).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

Z95 = 1.959963984540054

PROPORTION_CI = "Wilson score 95% interval"
MEAN_CI = "Student-t 95% interval"
DIFFERENCE_CI = "Newcombe hybrid score 95% interval"


def wilson(count: np.ndarray | float, n: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score 95% interval of count/n (NaN where n == 0)."""
    count = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = count / n
        denom = 1.0 + Z95**2 / n
        centre = (p + Z95**2 / (2 * n)) / denom
        half = Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2)) / denom
    # Exact ends where rounding would put 0/n or n/n a hair outside its own interval.
    low = np.where(count == 0, 0.0, np.clip(centre - half, 0.0, p))
    high = np.where(count == n, 1.0, np.clip(centre + half, p, 1.0))
    return low, high


def mean_ci(values: np.ndarray) -> tuple[int, float, float, float]:
    """(n, mean, low, high): Student-t 95% interval of the mean of the non-NaN values."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return 0, np.nan, np.nan, np.nan
    mean = float(values.mean())
    if n == 1:
        return 1, mean, np.nan, np.nan
    half = stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / np.sqrt(n)
    return n, mean, mean - half, mean + half


def newcombe_difference(
    k_a: int, n_a: int, k_b: int, n_b: int
) -> tuple[float, float, float, float]:
    """(p_b - p_a, low, high, p-value): Newcombe interval and two-sided two-proportion z test.

    The interval decides significance (it excludes 0); the pooled z test's p-value is
    reported alongside for readers who expect one.
    """
    p_a, p_b = k_a / n_a, k_b / n_b
    l_a, u_a = wilson(k_a, n_a)
    l_b, u_b = wilson(k_b, n_b)
    diff = p_b - p_a
    low = diff - np.sqrt((p_b - l_b) ** 2 + (u_a - p_a) ** 2)
    high = diff + np.sqrt((u_b - p_b) ** 2 + (p_a - l_a) ** 2)
    pooled = (k_a + k_b) / (n_a + n_b)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    p_value = float(2 * stats.norm.sf(abs(diff) / se)) if se > 0 else 1.0
    return float(diff), float(low), float(high), p_value
