"""Records and tables that depend on nothing: the event record, ontology, errors, limits, geometry.

Every other part of eventwire imports from here; nothing here imports from them.
"""
