"""One phase, run: before, migration, after, diff, probes, inertness; then every check judged.

Only this module and the snapshot touch a database. `gate` builds its own throwaway
database from the spec's `build:`; `verify` reads a live database and takes "before"
from a snapshot file. Either way nothing clausegate runs on the target is committed,
except the migration and the build of a database clausegate itself created.
"""

from clausegate.phase import kept
from clausegate.phase.capture import take_snapshot
from clausegate.phase.gate import before_template, gate
from clausegate.phase.judging import all_broken
from clausegate.phase.model import BuildCache, PhaseRun, Step
from clausegate.phase.plan import every_table_probes, live_probes, plan_queries, user_tables
from clausegate.phase.verify import verify

__all__ = [
    "BuildCache",
    "PhaseRun",
    "Step",
    "all_broken",
    "before_template",
    "every_table_probes",
    "gate",
    "kept",
    "live_probes",
    "plan_queries",
    "take_snapshot",
    "user_tables",
    "verify",
]
