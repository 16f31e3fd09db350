"""The one exception type that reaches the user as a single line.

Everything the user can get wrong (a file, a key, a value, a folder) raises
`WargameError` with a message that names the problem; the CLI prints it on one
line and exits with status 2. Anything else is a bug and keeps its traceback.
"""


class WargameError(Exception):
    """Bad input: printed as one line by the CLI, never as a traceback."""
