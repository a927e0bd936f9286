"""The flood guard."""

from bot.guard import FloodGuard


def test_flooding_user_gets_one_notice_then_silence_until_calm() -> None:
    guard = FloodGuard(limit=3, window=60)
    verdicts = [guard.check(1, t) for t in (0, 1, 2, 3, 4, 5)]
    assert verdicts == ["ok", "ok", "ok", "notice", "ignore", "ignore"]
    # Once the window holds no more than the limit, the user is heard again.
    assert guard.check(1, 64) == "ok"


def test_other_users_are_not_affected() -> None:
    guard = FloodGuard(limit=2, window=60)
    for t in range(10):
        guard.check(1, t)
    assert guard.check(2, 10) == "ok"


def test_idle_users_are_forgotten() -> None:
    guard = FloodGuard(limit=5, window=1)
    for user in range(1000):
        guard.check(user, 0)
    guard.check(5000, 10)
    assert len(guard._seen) == 1


def test_privacy_passes_after_a_burst_but_not_for_a_bot() -> None:
    guard = FloodGuard(limit=3, window=60)
    verdicts = [guard.check(1, t) for t in range(8)]
    assert verdicts[3] == "notice" and verdicts[-1] == "ignore"
    # /vergeet after all that still passes, and so does its confirmation tap ...
    assert guard.check(1, 8, privacy=True) == "ok"
    assert guard.throttled(1, 9) and not guard.throttled(1, 9, privacy=True)
    assert guard.check(1, 10) == "ignore"  # a question meanwhile does not
    # ... a few times a window, not for someone hammering them.
    assert [guard.check(1, t, privacy=True) for t in (11, 12, 13)] == ["ok", "ok", "ignore"]
    assert guard.throttled(1, 13, privacy=True)
