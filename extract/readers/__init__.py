"""The readers: one module per input format, each registering itself with ``read``."""
