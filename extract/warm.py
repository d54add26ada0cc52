"""Imported by the forkserver before it forks ingest workers, so every worker starts with
the readers, the parsers, the vocabulary and the spaCy pipeline already loaded."""
from . import read  # noqa: F401  (the readers, imported for their side of the warm-up)
from .readers import fastpdf  # noqa: F401
from .prose import cue_matcher
from .registry import available
from .subjects import phrasings

available()
cue_matcher()
phrasings()
