"""The interval estimates every figure uses, in one place so captions can name them.

Proportions get Wilson score intervals (sound at small n and near 0 or 1, unlike the
normal approximation); means get Student-t intervals; a difference of two proportions gets
Newcombe's hybrid score interval (method 10, built from the two Wilson intervals), and a
difference of two shares over paired runs its paired counterpart (`newcombe_paired`). The
proportion intervals and the z test come from statsmodels rather than being written out
here: well-kept implementations, tested against the published examples. A Wilson count may
be fractional: where paired seeds put several runs of one seed into a group, the group's
count sums each seed's share of its runs (wargame.figures.units).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

PROPORTION_CI = "Wilson score 95% interval"
MEAN_CI = "Student-t 95% interval"
DIFFERENCE_CI = "Newcombe hybrid score 95% interval"


def wilson(count: np.ndarray | float, n: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score 95% interval of count/n, element-wise (NaN where n == 0); statsmodels'
    `proportion_confint(count, n, method="wilson")`, held inside [0, 1] and around count/n
    against rounding."""
    from statsmodels.stats.proportion import proportion_confint

    count, n = np.broadcast_arrays(np.asarray(count, dtype=float), np.asarray(n, dtype=float))
    low, high = np.full(count.shape, np.nan), np.full(count.shape, np.nan)
    valid = (n > 0) & ~np.isnan(count)
    if valid.any():
        lo, hi = proportion_confint(count[valid], n[valid], alpha=0.05, method="wilson")
        share = count[valid] / n[valid]  # inside its interval, to the last bit (0 at 0 hits)
        low[valid] = np.clip(np.minimum(lo, share), 0.0, 1.0)
        high[valid] = np.clip(np.maximum(hi, share), 0.0, 1.0)
    if low.ndim == 0:
        return float(low), float(high)
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


def clustered_mean_ci(values: np.ndarray, clusters: np.ndarray
                      ) -> tuple[int, float, float, float]:
    """(clusters, mean, low, high): the mean over every non-NaN value, with a Student-t 95%
    interval that treats the values of one cluster (a seed, under paired seeds) as
    correlated: the ratio estimator's cluster-robust variance (Cochran 1977, ch. 6),
    s / (s - 1) x sum over clusters of (total - mean x count)^2 / (all values)^2, on s - 1
    degrees of freedom. With one value per cluster it is `mean_ci`'s interval."""
    values = np.asarray(values, dtype=float)
    keep = ~np.isnan(values)
    values, clusters = values[keep], np.asarray(clusters)[keep]
    if values.size == 0:
        return 0, np.nan, np.nan, np.nan
    mean = float(values.mean())
    _, index = np.unique(clusters, return_inverse=True)
    totals = np.bincount(index, weights=values)
    counts = np.bincount(index).astype(float)
    s = len(totals)
    if s == 1:
        return 1, mean, np.nan, np.nan
    variance = s / (s - 1) * float(((totals - mean * counts) ** 2).sum()) / values.size ** 2
    half = float(stats.t.ppf(0.975, s - 1) * np.sqrt(variance))
    return s, mean, mean - half, mean + half


def newcombe_difference(
    k_a: int, n_a: int, k_b: int, n_b: int
) -> tuple[float, float, float, float]:
    """(p_b - p_a, low, high, p-value): Newcombe interval and two-sided two-proportion z test.

    statsmodels' `confint_proportions_2indep(method="newcomb")` and `proportions_ztest`.
    The interval decides significance (it excludes 0); the pooled z test's p-value is
    reported alongside for readers who expect one.
    """
    from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

    low, high = confint_proportions_2indep(k_b, n_b, k_a, n_a, method="newcomb",
                                           compare="diff")
    pooled = (k_a + k_b) / (n_a + n_b)
    p_value = 1.0
    if 0 < pooled < 1:
        p_value = float(proportions_ztest([k_b, k_a], [n_b, n_a])[1])
    return k_b / n_b - k_a / n_a, float(low), float(high), p_value


def newcombe_paired(in_a: np.ndarray, in_b: np.ndarray) -> tuple[float, float, float]:
    """(p_b - p_a, low, high) over paired yes-or-no outcomes (one seed's two runs):
    Newcombe's hybrid score 95% interval for paired proportions.

    Newcombe, R. G. (1998), Improved confidence intervals for the difference between
    binomial proportions based on paired data, Statistics in Medicine 17: 2635-2650,
    method 10: the two shares' Wilson intervals combined with the pairs' correlation phi,
    whose numerator the paper corrects for continuity (AD - BC less N/2 when positive,
    at least 0). Where only a few pairs differ it stays honest, and the t interval of the
    differences does not (one changed pair in 200 gives t a width of 2 points). No
    statistics library this project uses ships it for paired data (statsmodels 0.15 has
    the independent one only).
    """
    in_a, in_b = np.asarray(in_a, dtype=bool), np.asarray(in_b, dtype=bool)
    if in_a.shape != in_b.shape:
        raise ValueError("paired outcomes of different lengths")
    n = in_a.size
    if n == 0:
        return np.nan, np.nan, np.nan
    both, only_a = int((in_a & in_b).sum()), int((in_a & ~in_b).sum())
    only_b = int((in_b & ~in_a).sum())
    neither = n - both - only_a - only_b
    p_a, p_b = (both + only_a) / n, (both + only_b) / n
    (l_a, u_a), (l_b, u_b) = (tuple(map(float, wilson(k, n))) for k in
                              (both + only_a, both + only_b))
    margins = float(both + only_a) * (only_b + neither) * (both + only_b) * (only_a + neither)
    concordance = both * neither - only_a * only_b
    if concordance > 0:
        concordance = max(concordance - n / 2, 0.0)
    phi = concordance / np.sqrt(margins) if margins else 0.0
    diff = p_b - p_a
    low = diff - np.sqrt(max((p_b - l_b) ** 2 - 2 * phi * (p_b - l_b) * (u_a - p_a)
                             + (u_a - p_a) ** 2, 0.0))
    high = diff + np.sqrt(max((u_b - p_b) ** 2 - 2 * phi * (u_b - p_b) * (p_a - l_a)
                              + (p_a - l_a) ** 2, 0.0))
    return diff, float(low), float(high)
