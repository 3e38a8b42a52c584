"""The one interface every construction implements, and the registry of constructions.

A construction reads one parsed sentence and yields the events its grammar
states ("X attacked Y", "an attack on Y by X", an order inside a quote). The
coder runs every registered construction; a new way of stating an event is a
new module with its tests, registered here by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from eventwire.coding.events.arguments import Arguments
from eventwire.coding.events.common import Discourse, Found, SentenceInput
from eventwire.coding.events.triggers import Triggers


class Construction(Protocol):
    def find(self, sentence: SentenceInput, ctx: Discourse) -> Iterable[Found]: ...


class Rule:
    """What every construction starts from: the argument reader and the trigger lexicon."""

    def __init__(self, args: Arguments, triggers: Triggers) -> None:
        self.args = args
        self.triggers = triggers


Factory = Callable[[Arguments, Triggers], Construction]
REGISTRY: dict[str, Factory] = {}


def register(name: str) -> Callable[[Factory], Factory]:
    """Add a construction under ``name``; order of registration is order of running."""

    def add(factory: Factory) -> Factory:
        REGISTRY[name] = factory
        return factory

    return add
