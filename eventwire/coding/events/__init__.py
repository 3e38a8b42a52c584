"""Events: each parsed sentence becomes zero or more coded events.

One module per construction (``clauses``, ``nominal``, ``quotes``), each
behind the interface of ``base.Construction``; ``coder.EventCoder`` runs them
all and reconciles them with the learned sentence classifier.
"""

from eventwire.coding.events.coder import EventCoder
from eventwire.coding.events.common import Discourse, SentenceInput, phrase_tokens, quote_ranges

__all__ = ["Discourse", "EventCoder", "SentenceInput", "phrase_tokens", "quote_ranges"]
