"""The coding stages and the pipeline that runs them, one stage per module, in pipeline order.

``nlp`` (spaCy, sentences) -> ``prefilter`` (candidate sentences) -> ``actors`` (mentions
to actor codes) -> ``events`` (sentences to CAMEO/PLOVER events, with ``classifier``) ->
``places`` (toponyms, ``gazetteer``) -> ``dates`` -> ``retellings`` (one event told twice
in an article). ``pipeline`` runs them over a parsed article; ``guard`` keeps each article
inside the limits. Stages import records only (and stages before them); the pipeline
imports the stages; nothing here imports readers, the store, serving or the command line.
"""
