"""The one exception type that reaches the user as a single line.

Everything the user can get wrong (a file, a key, a value, a folder) raises
`WargameError` with a message that names the problem; the CLI prints it on one
line and exits with status 2. Anything else is a bug and keeps its traceback.
It is a `ValueError`, so Python code that guards a call with `except ValueError` (as
EMA Workbench's and most libraries' callers do for bad arguments) catches it too.
"""


class WargameError(ValueError):
    """Bad input: printed as one line by the CLI, never as a traceback."""
