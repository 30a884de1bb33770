"""The guards the services run on timers (runtime.py), on stand-ins for Faust's consumer and recovery.

A partition with records past its committed offset, all delivered, none in processing, for three
checks in a row, is read again; anything moving or in flight is left alone. A table recovery that
reads nothing for `RECOVERY_STALL` seconds though records remain makes the worker exit (to be restarted)."""

from __future__ import annotations

from types import SimpleNamespace

from faust.types import TP as FaustTP

from villagewatch.runtime import RECOVERY_STALL, STALL_CHECKS, recovery_stalled, rewind_stalled

TP = FaustTP("events", 1)
CHANGELOG = FaustTP("x-villages-changelog", 1)


def app(high: int, committed: int | None, read: int | None, busy: bool = False, rebalancing: bool = False):
    consumer = SimpleNamespace(
        assignment=lambda: {TP, CHANGELOG},
        highwater=lambda tp: high,
        _committed_offset={TP: committed},
        _read_offset={TP: read},
        _unacked_messages=[SimpleNamespace(tp=TP)] if busy else [],
    )
    return SimpleNamespace(
        consumer=consumer, rebalancing=rebalancing,
        flow_control=SimpleNamespace(is_active=lambda: True),
        tables=SimpleNamespace(recovery=SimpleNamespace(completed=SimpleNamespace(is_set=lambda: True))),
    )


def checks(make, n: int = STALL_CHECKS) -> list[list]:
    seen: dict = {}
    return [rewind_stalled(make(i), seen) for i in range(n)]


def test_a_partition_that_stays_stalled_is_read_again() -> None:
    assert checks(lambda i: app(high=3, committed=None, read=2)) == [[], [], [TP]]
    assert checks(lambda i: app(high=3, committed=1, read=2))[-1] == [TP]


def test_progress_work_in_flight_or_a_rebalance_leave_it_alone() -> None:
    assert checks(lambda i: app(high=3, committed=3, read=2))[-1] == []  # all processed
    assert checks(lambda i: app(high=3, committed=i, read=2))[-1] == []  # committing as it goes
    assert checks(lambda i: app(high=9, committed=1, read=4))[-1] == []  # still delivering what it fetched
    assert checks(lambda i: app(high=3, committed=1, read=2, busy=True))[-1] == []  # being processed
    assert checks(lambda i: app(high=3, committed=1, read=2, rebalancing=i == 1))[-1] == []


def recovering(offsets: dict, highwaters: dict, in_recovery: bool = True):
    recovery = SimpleNamespace(in_recovery=in_recovery, active_offsets=offsets, active_highwaters=highwaters)
    return SimpleNamespace(tables=SimpleNamespace(recovery=recovery))


def test_a_recovery_that_reads_nothing_for_long_is_stalled() -> None:
    progress: dict = {}
    stuck = recovering({CHANGELOG: -1}, {CHANGELOG: 11})
    assert not recovery_stalled(stuck, progress, now=0.0)
    assert not recovery_stalled(stuck, progress, now=RECOVERY_STALL - 1)
    assert recovery_stalled(stuck, progress, now=RECOVERY_STALL + 1)


def test_a_recovery_that_moves_or_is_done_is_not() -> None:
    progress: dict = {}
    for second, offset in enumerate(range(0, 10)):
        assert not recovery_stalled(recovering({CHANGELOG: offset}, {CHANGELOG: 11}), progress, now=second * 30.0)
    assert not recovery_stalled(recovering({CHANGELOG: 11}, {CHANGELOG: 11}), progress, now=1e6)
    assert not recovery_stalled(recovering({CHANGELOG: -1}, {CHANGELOG: 11}, in_recovery=False), {}, now=1e6)
    assert not recovery_stalled(recovering({}, {CHANGELOG: -1}), {}, now=1e6)  # an empty changelog


def commit_after(committed: int | None, acked: list[int]) -> int | None:
    """What the patched Faust consumer commits for one partition (import runtime installs the patch)."""
    from collections import defaultdict

    from faust.transport.consumer import Consumer

    fake = SimpleNamespace(_committed_offset={TP: committed}, _acked=defaultdict(list, {TP: list(acked)}),
                           _acked_index=defaultdict(set, {TP: set(acked)}), _gap={})
    return Consumer._new_offset(fake, TP)


def test_commits_extend_only_the_run_that_starts_at_the_committed_offset() -> None:
    assert commit_after(5, [5, 6, 7]) == 8
    assert commit_after(5, [5, 6, 8]) == 7
    assert commit_after(5, [6, 7]) is None  # record 5 was never processed: Faust committed 8 here
    assert commit_after(0, [1, 2]) is None
    assert commit_after(None, [0, 1]) is None  # no base yet: the rewind timer sets it from the log start
    assert commit_after(5, [3, 4, 5]) == 6  # acks below the committed offset are stale


def test_the_faust_internals_the_patches_lean_on_are_still_there() -> None:
    """The patches and guards in runtime.py are written against faust-streaming 0.15.3's own bookkeeping
    (upstream #606 with PR #707, #176/#597/#651, #629): an upgrade that renames or reshapes it must fail here,
    on a real app's consumer and recovery, not in production."""
    import inspect
    from importlib.metadata import version

    import faust
    from faust.transport.consumer import Consumer

    assert version("faust-streaming") == "0.15.3", "re-check runtime.py's patches against this release first"
    app = faust.App(f"t-{id(object())}", broker="kafka://127.0.0.1:1")
    consumer = app.consumer
    for name in ("_committed_offset", "_acked", "_acked_index", "_gap", "_unacked_messages", "_waiting_for_ack",
                 "_read_offset", "highwater", "assignment"):
        assert hasattr(consumer, name), name
    assert getattr(Consumer.ack, "_villagewatch", False), "the commit patch is not installed"
    assert list(inspect.signature(Consumer._new_offset).parameters) == ["self", "tp"]
    assert hasattr(app, "consumer_generation_id") and hasattr(app.flow_control, "is_active")
    recovery = app.tables.recovery
    for name in ("in_recovery", "active_offsets", "active_highwaters", "completed"):
        assert hasattr(recovery, name), name

