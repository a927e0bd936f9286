"""Flood guard: a user typing more than N messages a minute gets one polite notice and is then
ignored until they calm down; button taps are not counted. Other users are not affected."""

from collections import deque
from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["ok", "notice", "ignore"]
# /privacy, /vergeet and its confirmation pass this many times a window, however much else
# the user typed.
PRIVACY_PASSES = 3


@dataclass
class FloodGuard:
    """Sliding-window message counter per user."""

    limit: int = 20
    window: float = 60.0
    _seen: dict[int, deque[float]] = field(default_factory=dict)
    _noticed: set[int] = field(default_factory=set)
    _privacy: dict[int, deque[float]] = field(default_factory=dict)
    _last_cleanup: float = 0.0

    def check(self, user_id: int, now: float, privacy: bool = False) -> Verdict:
        """Count a message of ``user_id`` at ``now`` (seconds) and say what to do with it.
        ``privacy``: asking what is kept, or to erase it, goes through ``PRIVACY_PASSES``
        times a window whatever else was typed (a right is not refused for a burst of
        questions; a bot hammering it still is)."""
        times = self._seen.setdefault(user_id, deque())
        times.append(now)
        self._expire(times, now)
        if now - self._last_cleanup >= self.window:
            self._forget_idle(now)
            self._last_cleanup = now
        if privacy:
            passes = self._privacy_passes(user_id, now)
            passes.append(now)
            if len(passes) <= PRIVACY_PASSES:
                return "ok"
        if len(times) <= self.limit:
            self._noticed.discard(user_id)
            return "ok"
        if user_id in self._noticed:
            return "ignore"
        self._noticed.add(user_id)
        return "notice"

    def throttled(self, user_id: int, now: float, privacy: bool = False) -> bool:
        """Whether the user is being ignored right now (without counting anything);
        ``privacy``: a tap that belongs to a privacy command counted by :meth:`check`."""
        times = self._seen.get(user_id)
        if not times:
            return False
        self._expire(times, now)
        if privacy and len(self._privacy_passes(user_id, now)) <= PRIVACY_PASSES:
            return False
        return len(times) > self.limit

    def _privacy_passes(self, user_id: int, now: float) -> deque[float]:
        """The times the user's privacy commands passed within the window."""
        passes = self._privacy.setdefault(user_id, deque())
        self._expire(passes, now)
        return passes

    def _expire(self, times: deque[float], now: float) -> None:
        while times and times[0] <= now - self.window:
            times.popleft()

    def _forget_idle(self, now: float) -> None:
        idle = [u for u, t in self._seen.items() if not t or t[-1] <= now - self.window]
        for user_id in idle:
            del self._seen[user_id]
            self._noticed.discard(user_id)
            self._privacy.pop(user_id, None)
