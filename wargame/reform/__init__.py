"""The Art. 12 reform game: can NATO be placed under EU leadership, who blocks it, at what price.

The 32 allies negotiate a package proposed by the EU, month by month, under unanimity
(docs/REFORM.md). This package is the negotiation model only, below the runners: it
imports no runner, figure or command line. Modules, one job each:

- `inputs`: the reform model's own registry of levers, uncertainties and settings;
- `outputs`: what a negotiation reports in a sweep, declared once;
- `attitudes`: the sourced opinion table and each state's derived domestic support;
- `status`: the status options of the non-EU allies and Switzerland and the choice rule;
- `agents`, `model`: the negotiation (Mesa);
- `result`: what a finished negotiation reports; `replication`: one negotiation of a sweep;
- `link`: what it hands to the crisis model; `stage`: the first stage of a two-stage run.

Its applications read results or are front doors: `wargame reform` (wargame.reform_cli,
wargame.reform_report), the figures (wargame.figures.reform) and the browser page
(wargame.viz.negotiation).
"""
