"""The validation battery: `wargame validate` (issue 18, item 6; docs/VALIDATION.md).

Checks are declared records (`checks.CHECKS`, `robust.V11`: id, title, source, target in
words, the experiments they read, the function that measures them); experiments are
paired-seed grid sweeps through the common sweep pipeline (`experiments`), shared between
checks and kept in `DIR/sweeps/` so that a validation resumes and can be inspected;
`battery.validate` runs them and measures every check; `report` writes the table,
`validation.json` and `VALIDATION.md`. Anyone who changes an assumption reruns it to see
which checks still hold.
"""
