"""Reports: pure functions from a Verdict to text. Deciding happens in `guard.policy`."""
