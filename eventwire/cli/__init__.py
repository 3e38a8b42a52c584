"""The command line (``eventwire``): the top of the import graph, importing whatever it needs."""
