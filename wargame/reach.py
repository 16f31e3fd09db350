"""Reaching the theatre: troops in transit and the corridors they arrive through.

A force tier, once ready, travels its route (air, road and rail, or sea: see
`wargame.crisis_setup.routes`) and then arrives through the theatre's corridor for that
mode. A corridor delivers at most its capacity of troops a day, first come first served,
so a large package arrives over several days and many packages queue: mass arrives as
fast as the airfields, railheads and ports let it (docs/MODEL.md §3.5). A corridor with
no capacity limit delivers a shipment whole on the day it is ready.
"""

from __future__ import annotations

import heapq
import math
from typing import Protocol


class Recipient(Protocol):
    """Whoever receives the troops of a shipment (a state, the US reinforcement)."""

    def arrive(self, troops: int, shipment: Shipment) -> None: ...


class Shipment:
    """Troops of one tier on their way. `pending` is [expected arrival day, troops not yet
    arrived], which the sender keeps for the adversary's view of what is coming; `troops`
    is the tier's strength (what arrived, once the rest has turned back)."""

    __slots__ = ("recipient", "troops", "left", "pending", "cancelled")

    def __init__(self, recipient: Recipient, troops: int, pending: list[float]) -> None:
        self.recipient = recipient
        self.troops = troops
        self.left = troops
        self.pending = pending
        self.cancelled = False

    def cancel(self) -> None:
        """The troops not yet arrived turn back."""
        self.cancelled = True
        self.pending[1] = 0.0


class Corridor:
    """Arrivals by one mode into the theatre, at most `capacity` troops a day."""

    __slots__ = ("capacity", "_queue", "_order")

    def __init__(self, capacity: float) -> None:
        self.capacity = capacity
        self._queue: list[tuple[float, int, Shipment]] = []
        self._order = 0  # ties on the same ready day go in the order they were sent

    def send(self, shipment: Shipment, ready_day: float) -> None:
        heapq.heappush(self._queue, (ready_day, self._order, shipment))
        self._order += 1

    def deliver(self, day: int) -> None:
        """Deliver what is ready by the end of `day`, up to the capacity."""
        queue = self._queue
        budget = self.capacity
        while queue and queue[0][0] <= day and budget > 0:
            shipment = queue[0][2]
            if shipment.cancelled or shipment.left <= 0:
                heapq.heappop(queue)
                continue
            troops = shipment.left if math.isinf(budget) else min(shipment.left, int(budget))
            if troops <= 0:
                break
            shipment.left -= troops
            budget -= troops
            shipment.recipient.arrive(troops, shipment)
            if shipment.left <= 0:
                heapq.heappop(queue)

    @property
    def waiting(self) -> bool:
        return bool(self._queue)
