"""A per-client sliding-window limit, so tracking codes cannot be enumerated."""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta

from posko.core.clock import Clock

MAX_CLIENTS = 50_000  # forget the oldest clients beyond this, so memory stays bounded


class RateLimiter:
    def __init__(self, clock: Clock, limit: int, window: timedelta) -> None:
        self.clock, self.limit, self.window = clock, limit, window
        self._hits: dict[str, deque[datetime]] = {}

    def _recent(self, client: str) -> deque[datetime]:
        hits = self._hits.get(client)
        if hits is None:
            if len(self._hits) >= MAX_CLIENTS:
                self._hits.pop(next(iter(self._hits)))
            hits = self._hits[client] = deque()
        cutoff = self.clock.now() - self.window
        while hits and hits[0] <= cutoff:
            hits.popleft()
        return hits

    def blocked(self, client: str) -> bool:
        return len(self._recent(client)) >= self.limit

    def hit(self, client: str) -> None:
        self._recent(client).append(self.clock.now())
