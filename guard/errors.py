"""The one exception for problems the user can fix; the command layer turns it into exit 2."""


class GuardError(Exception):
    """Bad input, a missing revision, a broken config: says what is wrong and what to do."""

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.problem}: {self.fix}" if self.fix else self.problem
