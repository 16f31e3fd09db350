# %% [markdown]
# # First steps: from one run to a sweep and its figures
#
# A walk through the Python API (docs/API.md) for a new user of the wargame: one crisis
# run and what it reports, the same question over many seeds, a small sweep, its tables
# and its figures. Run it cell by cell (`# %%` cells: VS Code, Spyder, or Jupyter with
# jupytext) or at once with `python examples/first_steps.py`; it writes into
# `first_steps/` in the working folder and takes under a minute.

# %%
from pathlib import Path

import matplotlib.pyplot as plt

import wargame

OUT = Path("first_steps")
OUT.mkdir(exist_ok=True)

# %% [markdown]
# ## 1. One run
#
# The Baltic scenario (`wargame scenarios` lists the others) with a United States that
# does not come (`us_commitment = 0`). The seed makes the run repeatable.

# %%
result = wargame.run("baltic", seed=7, us_commitment=0.0)
print(result.describe())

# %% [markdown]
# `result.steps` has one row per day. `labels()` gives each column's label and unit.

# %%
steps = result.steps
labels = result.labels("steps")
fig, ax = plt.subplots(figsize=(7, 3.5))
for column in ("adversary_committed", "pledged_troops", "deployed_troops"):
    ax.plot(steps["day"], steps[column], label=labels[column])
ax.set_xlabel(labels["day"])
ax.set_ylabel("troops")
ax.yaxis.set_major_formatter("{x:,.0f}")
ax.legend(fontsize=8, loc="upper left")
ax.set_title(f"One run: {result.outcome} after {result.model.day} days")
fig.tight_layout()
fig.savefig(OUT / "one_run.png", dpi=110)

# %% [markdown]
# ## 2. One run is one draw
#
# The same inputs with other seeds end differently: decisions, delays and combat are
# random. Twenty seeds with and without the United States:

# %%
for us in (0.0, 1.0):
    outcomes = [wargame.run("baltic", seed=seed, us_commitment=us).outcome for seed in range(20)]
    shares = {name: outcomes.count(name) / len(outcomes) for name in sorted(set(outcomes))}
    print(f"us_commitment = {us}: {shares}")

# %% [markdown]
# ## 3. A small sweep
#
# A sweep does this systematically: a design over some inputs, replications per point,
# seeds derived from `base_seed`, everything written to a result folder. Here a grid of
# US commitment x EU financing, 10 replications per point, keeping the daily series.

# %%
folder = OUT / "sweep"
spec = {
    "description": "US commitment x EU financing on the Baltic case (first steps)",
    "scenario": "baltic",
    "replications": 10,
    "base_seed": 2026,
    "keep_series": True,
    "design": {"kind": "grid", "levels": {
        "us_commitment": [0.0, 0.5, 1.0],
        "eu_financing": [0.0, 0.75],
    }},
}
if not folder.exists():  # a sweep never overwrites a folder
    wargame.sweep(spec, out=folder, name="first_steps")
data = wargame.load_sweep(folder)
print(data.describe())

# %% [markdown]
# ## 4. Its tables
#
# In a notebook `data` shows itself as tables: what was swept, the outcomes, the inputs
# held constant. `data.runs` has one row per run (the inputs every run shares are in
# `data.constants`, the whole table in `data.full_runs`); `data.states` and `data.steps`
# carry the run's swept inputs and outcome, so they group by them directly.
# `data.share` gives the share of an outcome with its Wilson 95% interval.

# %%
print(data.share("defeated", by=["us_commitment", "eu_financing"]).round(3))

top = (data.states.groupby("iso3")["pledged_troops"].mean()
       .sort_values(ascending=False).head(5))
print(top.round(0))

# %% [markdown]
# ## 5. Its figures
#
# `wargame.plot` draws the figures `wargame plot` draws and returns them as matplotlib
# Figures: a notebook shows them. `out=` also writes them with their numbers and an index
# page with captions (`first_steps/sweep/plots/index.html`); `ax=` draws one kind's
# headline panel into axes of your own. Leave out the kinds for every kind the folder's
# design supports.

# %%
figures = wargame.plot(folder, ["phase", "response", "timecourse"], out=folder / "plots")
print(len(figures), "figures; files in", folder / "plots")

fig, ax = plt.subplots(figsize=(6, 4))
wargame.plot(data, "response", ax=ax, x="us_commitment")
fig.savefig(OUT / "my_response.png", dpi=110)

# %% [markdown]
# ## Next
#
# - docs/API.md: every function, EMA Workbench (`wargame.ema.crisis_model`) and Mesa's
#   `batch_run`;
# - docs/SWEEPS.md: sweep files, designs (grid, Latin hypercube, Sobol, Morris);
# - docs/ANALYSIS.md: what each figure shows and how to read it.
