"""Plots and comparisons over sweep result folders (`wargame plot`, `wargame compare`).

Each kind of figure has its own module with two layers: aggregation functions that return
DataFrames (the numbers, tested on their own and written next to each figure as CSV) and a
`render` function that only draws them. `wargame.figures.standard.render_all` draws every kind a
result folder supports and writes an index page.
"""
