"""The error every command turns into one sentence for a person (what is wrong, what to do), exit 2."""


class UserError(RuntimeError):
    """Something the person running the command can fix; its message says how."""
