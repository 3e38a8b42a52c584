"""Actor coding: a mention's text -> country (ISO3), CAMEO sector, organisation and backer.

Everything the coder knows comes from the TSV tables in ``eventwire/data/actors/``; users add
their own tables in the same formats (``ActorCoder(extra_files=...)``, or the files listed in
``$EVENTWIRE_ACTORS`` for the command line). A table's kind is told by
its column header line (the first line that is not a ``#`` comment):

* ``iso3 name aliases demonyms capitals flags`` -- countries;
* ``term agent priority kind`` -- sector nouns and titles;
* ``code name country agent aliases`` -- organisations;
* ``name aliases country agent role`` -- people;
* ``code label domestic`` -- sector labels;
* ``region country aliases`` -- provinces and states (with a country) and world regions (without);
* ``city country aliases`` -- cities: places, which give a country only to an actor phrase;
* ``thing`` -- head nouns that never name an actor (places, events, documents).

Multi-valued cells are separated by ``|``. Phrases are matched on tokens through one index keyed
by the first token, so a lookup costs a few dictionary probes per token however large the tables.

The work is split by what it does: ``mentions`` reads a phrase into tokens, ``tables`` loads the
dictionary and looks phrases up in it, ``backers`` finds who backs or sponsors an actor,
``sectors`` decides the CAMEO sector, and ``coder`` puts them together for one mention.
"""

from eventwire.coding.actors.coder import ActorCoder, ArticleActors, code_all, default_coder
from eventwire.coding.actors.mentions import tokenize

__all__ = ["ActorCoder", "ArticleActors", "code_all", "default_coder", "tokenize"]
