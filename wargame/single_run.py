"""One run of one scenario: execute it, describe it in words, write its result folder."""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from wargame import __version__
from wargame.model import CrisisModel
from wargame.outputs import final_states, run_outputs, states_frame, steps_frame
from wargame.scenario import Scenario

RESULT_FILES = ("summary.json", "steps.parquet", "states.parquet")


def new_seed() -> int:
    """A fresh seed for a run the user did not seed; it is printed and recorded."""
    return secrets.randbelow(2**31)


def run_scenario(scenario: Scenario, seed: int, overrides: dict[str, Any]) -> CrisisModel:
    """Run `scenario` with `overrides` on top of its parameters, to its outcome."""
    parameters = {**scenario.parameters, **overrides}
    return CrisisModel(**parameters, rng=seed).run()


def summary(model: CrisisModel, scenario: Scenario, seed: int) -> dict[str, Any]:
    """Everything needed to reproduce and read the run, with no timestamp (for diffing)."""
    outputs = {k: (None if isinstance(v, float) and math.isnan(v) else v)
               for k, v in run_outputs(model).items()}
    states = final_states(model)
    return {
        "scenario": scenario.name,
        "scenario_file": str(scenario.path),
        "description": scenario.description,
        "wargame_version": __version__,
        "seed": seed,
        "inputs": model.inputs.as_dict(),
        "outputs": outputs,
        "states": states.assign(commitment=states["commitment"].astype(str)).to_dict("records"),
    }


def write_run(model: CrisisModel, scenario: Scenario, seed: int, out_dir: Path) -> None:
    """Write the three result files into `out_dir` all at once or not at all.

    Files are written into a temporary sibling folder that is renamed into place, so a
    crash never leaves a folder that looks complete but is not.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)  # mkdtemp makes 0700; a result folder is like any other
        (staging / "summary.json").write_text(
            json.dumps(summary(model, scenario, seed), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        steps_frame(model).to_parquet(staging / "steps.parquet", index=False)
        states_frame(model).to_parquet(staging / "states.parquet", index=False)
        if out_dir.exists():  # an empty folder the user named: replace it
            out_dir.rmdir()
        os.replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def capital_text(out: dict[str, Any]) -> str:
    """Whether the capital fell and whether it was held to the end: its fall is an event of
    the war, and the outcome alone does not say it happened (docs/MODEL.md §3.10)."""
    fell = out["day_capital_falls"]
    if math.isnan(fell):
        return "never fell"
    kept = ", retaken" if math.isnan(out["day_defeat"]) else " and held to the end"
    return f"fell on day {fell:.0f}{kept}"


def describe(model: CrisisModel, scenario: Scenario, seed: int, top: int = 5) -> str:
    """A short, readable account of the run for the terminal."""
    out = run_outputs(model)
    states = final_states(model)
    contributors = states[states["pledged_troops"] > 0].nlargest(top, "pledged_troops")
    top_text = ", ".join(
        f"{row.name} {row.pledged_troops:,}" for row in contributors.itertuples()
    ) or "none"

    def day(value: float) -> str:
        return "never" if math.isnan(value) else f"day {value:.0f}"

    # States whose troops are stationed in the target helped before the crisis: "never"
    # alone would read as no help at all while their soldiers stand in the theatre.
    garrisons = sum(state.holds_ground for state in model.state_list)
    first_help = day(out["day_first_assistance"])
    if garrisons and math.isnan(out["day_first_assistance"]):
        first_help = f"never beyond the {garrisons} states with troops stationed there"

    # A repelled attack may have been stopped at the border or pushed out of ground it
    # held: the label alone does not say which (docs/MODEL.md §5).
    how = ""
    if out["outcome"] == "repelled":
        peak = out["peak_territory_lost"]
        how = (f" (pushed out after holding up to {peak:.0%} of its territory)" if peak > 0
               else " (stopped at the border)")
    lines = [
        f"{scenario.name} (seed {seed}): {out['outcome'].upper()}{how} after {out['days']} days"
        f" — target {model.victim.name}, governance {model.inputs.as_dict()['governance']}",
        f"  coalition: {out['coalition_size']} states give money or forces, "
        f"{out['states_sending_forces']} send forces",
        f"  troops (peak): {out['peak_pledged_troops']:,} pledged, "
        f"{out['peak_deployed_troops']:,} deployed; "
        f"{out['reinforcements_arrived']:,} arrived beyond those stationed",
        f"  top contributors (troops pledged at the end): {top_text}",
        f"  US share of the defence: {out['us_share']:.0%};  EU fund used: "
        f"EUR {out['eu_fund_used_bn']:.2f} bn of {model.inputs.as_dict()['eu_fund_bn']:g} bn",
        f"  first new assistance {first_help}, first forces arrive "
        f"{day(out['day_first_forces'])}; highest escalation {out['max_escalation']}; "
        f"ground held {out['territory_lost']:.0%}, front {out['advance_km']:.0f} km deep; "
        f"capital {capital_text(out)}",
    ]
    if out["reform_adopted"] is not None:  # the run negotiated first
        verdict = (f"adopted in round {out['reform_round']}" if out["reform_adopted"]
                   else f"blocked by {out['reform_blocking']}")
        lines.append(
            f"  reform: {verdict} (EUR {out['reform_side_payments_bn']:.1f} bn promised); the "
            f"crisis ran under {out['reform_governance']}, US commitment "
            f"{out['reform_us_commitment']:.2f}, EU spending x{out['reform_spending_factor']:.2f}")
    return "\n".join(lines)
