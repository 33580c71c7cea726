"""Proving the whole (issue 17): the production shape started for a run, the load and fault runs against it, and the
one report of every benchmark. It serves no page and holds no table: it sits at the top, beside the URL root."""
