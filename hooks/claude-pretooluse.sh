#!/bin/sh
# Claude Code PreToolUse hook (matcher "Bash"): before the agent runs `git commit`, guard judges
# the commit; when it asks, this exits 2 and Claude Code hands guard's message back to the agent.
if command -v guard >/dev/null 2>&1; then
    exec guard hook agent "$@"
fi
exec python3 -m guard hook agent "$@"
