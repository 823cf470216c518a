"""The before states of a gate built once per machine: a throwaway local cluster starts as
a copy of the one an earlier run kept (targets.state_cache) when it holds every state the
run's specs need; otherwise the states are built, before any migration runs, and the
cluster is kept for the next run."""

from __future__ import annotations

from dataclasses import dataclass

from clausegate.db import reference
from clausegate.phase.gate import build_states, state_names
from clausegate.phase.model import BuildCache
from clausegate.spec import Spec
from clausegate.targets import LocalServer, state_cache
from clausegate.targets.state_cache import StateCache, StateKey


@dataclass(frozen=True)
class KeptStates:
    """Where the run's states are kept, under which key, and whether they were found."""

    cache: StateCache
    key: StateKey
    found: bool


def seed(server: LocalServer, specs: list[Spec]) -> KeptStates | None:
    """Before the server starts: make it a copy of the kept cluster holding the specs'
    states, when there is one. None when no cache is configured."""
    cache = state_cache.configured()
    if cache is None or not specs:
        return None
    installation = server.installation
    key = StateKey(
        state_cache.binaries_digest(installation), installation.version_text, state_names(specs)
    )
    server.seed = cache.find(key)
    return KeptStates(cache, key, server.seed is not None)


def prepare(server: LocalServer, kept: KeptStates, specs: list[Spec], built: BuildCache) -> str:
    """After it started, before any migration: every state the specs need on the server,
    the cluster kept when it had to build some. Returns the report's line on it."""
    try:
        count = build_states(server, specs, built)
    except reference.MigrationFailed:
        # Said per spec by its gate (its before state could not be built); nothing kept.
        return "the before states were built in this run (a fixture failed: none was kept)"
    if count == 0 and kept.found:
        return (
            f"the before states were copied from {kept.cache.root / kept.key.digest}, kept "
            "by an earlier run from the same fixture files and server binaries"
        )
    server.keep_stopped(lambda datadir: kept.cache.store(kept.key, datadir))
    return (
        f"the before states were built in this run and kept in "
        f"{kept.cache.root / kept.key.digest} for the next run"
    )
