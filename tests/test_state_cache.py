"""Before states built once per machine (phase.kept, targets.state_cache): the second gate
of the same specs starts from the cluster the first one kept; a changed fixture or other
binaries build again; what a migration does to the cluster is never kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clausegate import db
from clausegate.phase.gate import state_name
from clausegate.targets import LocalServer, Server, pgbin
from clausegate.targets.state_cache import KEEP, StateCache, StateKey
from tests.cli import assert_no_traceback, clausegate

WORLD = Path(__file__).parent / "engine_cases" / "attack_world"
SUPERUSER_ATTACK = Path(__file__).parent / "engine_cases" / "attack_superuser_role"


def _gate(spec: Path, cache: str, report: Path, major: int, *args: str) -> tuple[int, str]:
    result = clausegate(
        "gate", str(spec), *args, "--target", "local", "--pg-version", str(major),
        "--report-dir", str(report), "--no-html",
        env={"CLAUSEGATE_STATE_CACHE": cache},
    )  # fmt: skip
    assert_no_traceback(result)
    verdicts = json.loads((report / "verdicts.json").read_text())
    notes = [note for run in verdicts["runs"] for note in run.get("notes", [])]
    kept = [note for note in notes if "before states" in note]
    return result.returncode, " | ".join(kept)


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.is_dir() and not p.name.startswith("."))


def test_second_gate_starts_from_the_kept_states_and_a_migration_leaves_nothing_in_them(
    pg_server: Server, tmp_path: Path
) -> None:
    major = pg_server.version_num // 10000
    cache = tmp_path / "states"
    # First run: a migration that makes a login superuser (FAIL); the states it built are
    # kept, but only as they were before the migration ran.
    code, note = _gate(
        WORLD / "spec.yaml", str(cache), tmp_path / "r1", major,
        "--migration", str(SUPERUSER_ATTACK / "migration.sql"),
    )  # fmt: skip
    assert code == 1
    assert "built in this run and kept in" in note
    (entry,) = _entries(cache)
    key = json.loads((entry / "key.json").read_text())
    assert key["states"] == [state_name([WORLD / "before.sql"])]

    code, note = _gate(WORLD / "spec.yaml", str(cache), tmp_path / "r2", major)
    assert code == 0
    assert f"copied from {entry}" in note
    assert _entries(cache) == [entry]
    installation = pgbin.select(pgbin.discover(None), major, "--pg-version")
    with (
        LocalServer(installation, seed=entry / "data") as server,
        db.connect(server.conninfo(), purpose="test") as conn,
    ):
        row = conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'attack_root'")
        assert row.fetchone() == (0,)

    # A fixture changed: another key, built again, the old entry still there.
    changed = tmp_path / "world"
    shutil.copytree(WORLD, changed)
    with (changed / "before.sql").open("a", encoding="utf-8") as sql:
        sql.write("\n-- one more line: another fixture\n")
    code, note = _gate(changed / "spec.yaml", str(cache), tmp_path / "r3", major)
    assert code == 0
    assert "built in this run and kept in" in note
    assert len(_entries(cache)) == 2

    # Off: nothing kept, nothing read.
    code, note = _gate(changed / "spec.yaml", "off", tmp_path / "r4", major)
    assert code == 0
    assert note == ""
    assert len(_entries(cache)) == 2


def _key(states: tuple[str, ...]) -> StateKey:
    return StateKey("b" * 64, "16.13", states)


def test_an_entry_is_found_only_under_its_own_key_and_old_ones_are_pruned(
    tmp_path: Path,
) -> None:
    datadir = tmp_path / "data"
    datadir.mkdir()
    (datadir / "PG_VERSION").write_text("16\n")
    cache = StateCache(tmp_path / "states")
    kept = cache.store(_key(("cg_tpl_a",)), datadir)
    assert cache.find(_key(("cg_tpl_a",))) == kept
    assert cache.find(_key(("cg_tpl_a", "cg_tpl_b"))) is None
    assert cache.find(StateKey("c" * 64, "16.13", ("cg_tpl_a",))) is None
    # A key file that does not say what the folder's name says is not trusted.
    (kept.parent / "key.json").write_text(json.dumps(_key(("cg_tpl_z",)).as_json()))
    assert cache.find(_key(("cg_tpl_a",))) is None
    for number in range(KEEP + 2):
        cache.store(_key((f"cg_tpl_{number}",)), datadir)
    assert len(list((tmp_path / "states").iterdir())) == KEEP


@pytest.mark.parametrize("word", ["off", "OFF", "none", "0"])
def test_the_cache_can_be_turned_off(word: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from clausegate.targets import state_cache

    monkeypatch.setenv("CLAUSEGATE_STATE_CACHE", word)
    assert state_cache.configured() is None
