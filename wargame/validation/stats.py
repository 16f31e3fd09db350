"""The 95% intervals the checks report, from SciPy rather than written by hand, but for
the paired shares' interval, which no library here ships (`wargame.figures.stats`).

- a share: Wilson's score interval (`scipy.stats.binomtest(...).proportion_ci`), which
  stays inside [0, 1] and behaves at 0% and 100%, where the normal interval collapses;
- a paired difference: the t interval of the per-replication differences
  (`scipy.stats.ttest_1samp(...).confidence_interval`). With paired seeds, replication r
  of every cell ran with one seed, so the runs of one replication are not independent of
  each other; averaging a replication's differences over the cells compared first and
  taking the interval over replications is what keeps it honest (a cluster by seed);
- a paired difference of two shares, one pair of yes-or-no outcomes per seed: Newcombe's
  hybrid score interval (his method 10, `newcombe_paired`, shared with the comparison
  figures), which stays honest where only a few pairs differ and the t interval of the
  differences is far too narrow (one pair in 200 gives t a width of 2 points);
- a median: the order-statistic interval of `scipy.stats.quantile_test`, exact for any
  continuous or discrete sample;
- an interquartile range: the percentile bootstrap of `scipy.stats.bootstrap`.

Every function returns an `Estimate`: the value and its interval, in the unit of the data.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import stats

from wargame.figures.stats import newcombe_paired

CONFIDENCE = 0.95
#: Resamples of the bootstrap: enough for the 2.5% and 97.5% percentiles to be stable to
#: about a point, cheap on the few hundred seeds a check has.
BOOTSTRAP_RESAMPLES = 999
#: Fixed, so that a report is reproduced exactly from the same result folders.
BOOTSTRAP_SEED = 20261201


@dataclass(frozen=True)
class Estimate:
    """A model value with its 95% interval (`low`, `high`) and the number of runs behind it."""

    value: float
    low: float
    high: float
    n: int

    def excludes_zero(self, direction: int) -> bool:
        """The interval lies wholly above 0 (`direction` +1) or below it (-1): significant."""
        return self.low > 0.0 if direction > 0 else self.high < 0.0


def share(hits: int, n: int) -> Estimate:
    """A share of `n` runs with Wilson's 95% score interval."""
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    interval = stats.binomtest(int(hits), int(n)).proportion_ci(CONFIDENCE, method="wilson")
    return Estimate(hits / n, float(interval.low), float(interval.high), int(n))


def share_of(flags: np.ndarray) -> Estimate:
    """The share of true values of a boolean array, with Wilson's interval."""
    flags = np.asarray(flags, dtype=bool)
    return share(int(flags.sum()), flags.size)


def mean(values: np.ndarray, confidence: float = CONFIDENCE) -> Estimate:
    """The mean of per-replication values (paired differences, shares) with its t interval.

    Values that are all equal (a lever that changes nothing: every pair concordant) have
    no spread; their interval is the point itself, not NaN. NaN values are left out.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    mean = float(x.mean())
    if x.size < 2 or np.ptp(x) == 0.0:
        return Estimate(mean, mean, mean, int(x.size))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # near-constant samples
        interval = stats.ttest_1samp(x, 0.0).confidence_interval(confidence)
    return Estimate(mean, float(interval.low), float(interval.high), int(x.size))


def paired_shares(first: np.ndarray, second: np.ndarray) -> Estimate:
    """The share of true values in `second` minus that in `first`, paired element by element
    (one seed's two arms), with Newcombe's hybrid score 95% interval for paired proportions
    (`wargame.figures.stats.newcombe_paired`, the one the comparison figures use)."""
    difference, low, high = newcombe_paired(first, second)
    return Estimate(float(difference), low, high, int(np.asarray(first).size))


def median(values: np.ndarray) -> Estimate:
    """The median with its order-statistic 95% interval (`scipy.stats.quantile_test`)."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    middle = float(np.median(x))
    interval = stats.quantile_test(x, q=middle, p=0.5).confidence_interval(CONFIDENCE)
    low = float(interval.low) if np.isfinite(interval.low) else float(x.min())
    high = float(interval.high) if np.isfinite(interval.high) else float(x.max())
    return Estimate(middle, low, high, int(x.size))


def bootstrap(sample: np.ndarray, statistic: Callable[..., np.ndarray]) -> Estimate:
    """A statistic of one sample of runs with its percentile bootstrap 95% interval.

    `statistic(x, axis)` reduces `x` along `axis` (NumPy's convention, as SciPy asks).
    """
    x = np.asarray(sample, dtype=float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0)
    value = float(statistic(x, axis=-1))
    if x.size < 2 or np.ptp(x) == 0.0:
        return Estimate(value, value, value, int(x.size))
    interval = stats.bootstrap((x,), statistic, vectorized=True, method="percentile",
                               n_resamples=BOOTSTRAP_RESAMPLES, confidence_level=CONFIDENCE,
                               rng=np.random.default_rng(BOOTSTRAP_SEED)).confidence_interval
    return Estimate(value, float(interval.low), float(interval.high), int(x.size))


def interquartile_range(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """The 75th minus the 25th percentile along `axis`."""
    q75, q25 = np.percentile(x, [75, 25], axis=axis)
    return q75 - q25


def rank_correlation(model: np.ndarray, reference: np.ndarray) -> Estimate:
    """Spearman's rho between a model's per-state values and a reference's, with the
    percentile bootstrap 95% interval over states (pairs resampled together).

    Rank, not level: the model's war of months and the reference's years of aid are on
    different scales, but a model that gets who gives more right orders states alike.
    """
    x, y = (np.asarray(a, dtype=float) for a in (model, reference))
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    if x.size < 3 or np.ptp(x) == 0.0 or np.ptp(y) == 0.0:
        return Estimate(float("nan"), float("nan"), float("nan"), int(x.size))

    low, high = _defined_interval((x, y), _spearman, paired=True)
    return Estimate(_spearman(x, y), low, high, int(x.size))


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rho, NaN where one side is constant (a resample of a flag that drew one
    value only): such a resample orders nothing and is left out of the interval."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(stats.spearmanr(a, b).statistic)


def _defined_interval(samples: tuple[np.ndarray, ...], statistic: Callable[..., float], *,
                      paired: bool) -> tuple[float, float]:
    """The percentile bootstrap 95% interval of `statistic` over the resamples in which it
    is defined (SciPy's interval turns NaN if one resample is undefined)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SciPy warns of the NaN resamples left out here
        result = stats.bootstrap(samples, statistic, paired=paired, vectorized=False,
                                 method="percentile", n_resamples=BOOTSTRAP_RESAMPLES,
                                 confidence_level=CONFIDENCE,
                                 rng=np.random.default_rng(BOOTSTRAP_SEED))
    tail = 100 * (1 - CONFIDENCE) / 2
    low, high = np.nanpercentile(result.bootstrap_distribution, [tail, 100 - tail])
    return float(low), float(high)


def separation(scores: np.ndarray, positive: np.ndarray) -> Estimate:
    """The area under the ROC curve: the chance that a state of the `positive` group has a
    higher model score than one outside it (ties count half; the Mann-Whitney U over the
    pairs), with the percentile bootstrap 95% interval over states.

    0.5 is a model that cannot tell the groups apart; 1 one that ranks every positive first.
    """
    x = np.asarray(scores, dtype=float)
    group = np.asarray(positive, dtype=bool)
    keep = ~np.isnan(x)
    x, group = x[keep], group[keep]
    if group.all() or not group.any():
        return Estimate(float("nan"), float("nan"), float("nan"), int(x.size))

    def auc(hits: np.ndarray, misses: np.ndarray) -> float:
        return float(stats.mannwhitneyu(hits, misses).statistic / (hits.size * misses.size))

    # Each group is resampled on its own (a stratified bootstrap), so that no resample
    # lacks one of the two groups.
    hits, misses = x[group], x[~group]
    low, high = _defined_interval((hits, misses), auc, paired=False)
    return Estimate(auc(hits, misses), low, high, int(x.size))


def rank_correlation_gain(model: np.ndarray, baseline: np.ndarray,
                          reference: np.ndarray) -> Estimate:
    """Spearman's rho of `model` with `reference` minus that of `baseline`, with the
    percentile bootstrap 95% interval over states (the three resampled together, so the
    two correlations are compared on the same states)."""
    x, b, y = (np.asarray(a, dtype=float) for a in (model, baseline, reference))
    keep = ~(np.isnan(x) | np.isnan(b) | np.isnan(y))
    x, b, y = x[keep], b[keep], y[keep]
    if x.size < 3:
        return Estimate(float("nan"), float("nan"), float("nan"), int(x.size))

    def gain(m: np.ndarray, n: np.ndarray, r: np.ndarray) -> float:
        return _spearman(m, r) - _spearman(n, r)

    low, high = _defined_interval((x, b, y), gain, paired=True)
    return Estimate(gain(x, b, y), low, high, int(x.size))


def separation_gain(model: np.ndarray, baseline: np.ndarray, positive: np.ndarray) -> Estimate:
    """The AUC of `model` minus that of `baseline` for the same groups, with a bootstrap
    over states stratified by group (each state keeps both its scores)."""
    x, b = np.asarray(model, dtype=float), np.asarray(baseline, dtype=float)
    group = np.asarray(positive, dtype=bool)
    keep = ~(np.isnan(x) | np.isnan(b))
    x, b, group = x[keep], b[keep], group[keep]
    if group.all() or not group.any():
        return Estimate(float("nan"), float("nan"), float("nan"), int(x.size))

    def auc(hits: np.ndarray, misses: np.ndarray) -> float:
        return float(stats.mannwhitneyu(hits, misses).statistic / (hits.size * misses.size))

    hits_x, hits_b, misses_x, misses_b = x[group], b[group], x[~group], b[~group]

    def gain(hits: np.ndarray, misses: np.ndarray) -> float:
        """The gain over the states of each group at these indices."""
        return (auc(hits_x[hits], misses_x[misses]) - auc(hits_b[hits], misses_b[misses]))

    # The bootstrap resamples each group's indices on its own (stratified), so a state keeps
    # both its scores and no resample lacks a group.
    hits, misses = np.arange(hits_x.size), np.arange(misses_x.size)
    low, high = _defined_interval((hits, misses), gain, paired=False)
    return Estimate(gain(hits, misses), low, high, int(x.size))
