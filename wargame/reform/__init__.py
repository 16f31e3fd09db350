"""The Art. 12 reform game: can NATO be placed under EU leadership, who blocks it, at what price.

The 32 allies negotiate a package proposed by the EU, month by month, under unanimity
(docs/REFORM.md). Modules, one job each:

- `inputs`: the reform model's own registry of levers, uncertainties and settings;
- `attitudes`: the sourced opinion table and each state's derived domestic support;
- `status`: the status options of the non-EU allies and Switzerland and the choice rule;
- `agents`, `model`: the negotiation (Mesa);
- `result`: what a finished negotiation reports; `link`: what it hands to the crisis model;
- `batch`, `cli`, `figures`: many runs, the `wargame reform` command, its figures.
"""
