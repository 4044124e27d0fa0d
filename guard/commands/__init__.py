"""The command layer: the only place that reads the environment, the terminal, or prints."""
