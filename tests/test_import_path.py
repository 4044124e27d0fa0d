"""A hook runs on every commit: what its process imports is part of its speed."""
from __future__ import annotations

from conftest import FIXTURES, Repo, guard_then

# Imported by a bare `guard hook pre-commit`, each would cost more than the hook's own work.
HEAVY = ("git", "rich", "unidiff", "argparse", "dataclasses", "ahocorasick_rs", "tomllib", "subprocess")


def test_the_pre_commit_hook_imports_nothing_heavy(project: Repo) -> None:
    project.apply(FIXTURES / "retry-fix.patch")
    imported = set(guard_then(project.path, '" ".join(sys.modules)', "hook", "pre-commit").split())
    assert "guard.engine" in imported  # the change was judged
    assert imported.isdisjoint(HEAVY), imported.intersection(HEAVY)


def test_named_tuples_on_the_hook_path_have_evaluated_annotations() -> None:
    # typing compiles each string annotation of a NamedTuple into a ForwardRef when the class
    # is built: `from __future__ import annotations` in these modules doubles their import.
    from typing import ForwardRef

    from guard import codeowners, config, engine, model
    from guard.rules import Context

    classes = [model.FileChange, model.Finding, model.Verdict, model.Stats, config.Config, engine.Examined,
               codeowners.CodeOwners, Context]
    for cls in classes:
        assert not any(isinstance(hint, ForwardRef) for hint in cls.__annotations__.values()), cls
