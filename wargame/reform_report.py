"""Short terminal accounts of one negotiation and of many, in words an analyst can quote.

Read by `wargame reform` (wargame.reform_cli): one negotiation's summary.json, or the runs of a
negotiation sweep as `wargame.load_sweep` reads them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from wargame.figures.stats import wilson
from wargame.figures.style import percent
from wargame.reform.legal import asks
from wargame.reform.status import US_CHOICE

TOP_PAYMENTS = 4
HEADS = {"adopted": "ADOPTED", "ratification_failed": "AGREED, RATIFICATION FAILED",
         "blocked": "BLOCKED"}


def _choice_words(iso3: str, code: str) -> str:
    ask = asks().get(iso3)
    if ask is None:
        return US_CHOICE[1]
    return dict((ask.integrated, ask.associated))[code]


def describe(summary: dict[str, Any]) -> str:
    """One negotiation: outcome, package, money, holdouts and status choices."""
    p, out = summary["inputs"], summary["outputs"]
    head = (f"{HEADS[out['outcome']]}: agreed in round {out['round']} of "
            f"{p['deadline_rounds']}" if out["agreed"]
            else f"BLOCKED at the deadline (round {p['deadline_rounds']})")
    payments = sorted(out["payments_bn"].items(), key=lambda kv: -kv[1])
    largest = ", ".join(f"{iso3} {bn:.2f}" for iso3, bn in payments[:TOP_PAYMENTS])
    lines = [
        f"reform (seed {summary['seed']}): {head}",
        f"  package: {', '.join(out['elements'])}; inclusiveness {p['inclusiveness']:g}, EU "
        f"budget +{p['eu_budget_increase']:g} points of GDP by {p['target_year']}, EUR "
        f"{p['side_payments_bn']:g} bn to bring states in; US demand {p['us_demand']:g} "
        f"points; the US cuts {out['us_funding_cut']:.0%} of its funding",
        f"  side payments spent: EUR {out['side_payments_spent_bn']:.2f} bn to "
        f"{len(payments)} allies" + (f" (largest, EUR bn: {largest})" if payments else ""),
    ]
    if not out["agreed"]:
        lines.append(f"  holdouts ({len(out['blocking'])}):")
        lines += [f"    {iso3}: {why}" for iso3, why in out["blocking_reasons"].items()]
    if out["ratification_blockers"]:
        lines.append(f"  ratification failed in: {', '.join(out['ratification_blockers'])} "
                     "(the elements without a treaty change stand)")
    if out["in_force"]:
        lines.append("  in force: " + ", ".join(f"{e} {y:.1f}" for e, y in out["in_force"].items()))
    applies = "" if out["adopted"] else " (declared; the treaty change is not in force)"
    lines.append(f"  status choices{applies}:")
    lines += [f"    {iso3}: {_choice_words(iso3, c['choice'])}"
              for iso3, c in out["choices"].items()]
    return "\n".join(lines)


def describe_batch(frame: pd.DataFrame, swept: list[str], top: int = 5) -> str:
    """Many negotiations: P(adopted) with its Wilson 95% interval per package, top holdouts."""
    lines = ["P(adopted) with Wilson 95% interval; n runs per package; mean EUR bn spent; "
             "allies most often holding out (share of that package's runs)"]
    groups = frame.groupby(swept, sort=False) if swept else [((), frame)]
    for key, group in groups:
        n, k = len(group), int(group["adopted"].sum())
        low, high = wilson(k, n)
        label = ", ".join(f"{name}={value:g}" for name, value in
                          zip(swept, key if isinstance(key, tuple) else (key,), strict=False))
        holdouts = Counter(" ".join(group["blocking"]).split()).most_common(top)
        blockers = ", ".join(f"{iso3} {100 * c / n:.1f}%" for iso3, c in holdouts) or "none"
        spent = group["side_payments_spent_bn"].mean()
        failed = Counter(" ".join(group["ratification_blockers"]).split()).most_common(3)
        ratification = ", ".join(f"{iso3} {100 * c / n:.1f}%" for iso3, c in failed) or "none"
        lines.append(f"  {label or 'package'}: {percent(k / n)} [{percent(float(low))}, "
                     f"{percent(float(high))}], n={n}, spent {spent:.1f}; holdouts: {blockers}; "
                     f"ratification fails in: {ratification}")
    return "\n".join(lines)
