"""Imported by the forkserver before it forks ingest workers, so every worker starts with
the readers, the parsers, the vocabulary and the spaCy pipeline already loaded."""
from . import read
from .prose import cue_matcher
from .registry import available
from .subjects import phrasings

read.available()
available()
cue_matcher()
phrasings()
