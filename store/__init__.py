"""Storage: the database schema, loading, queries and official statistics."""

DEFAULT_URL = "sqlite:///scrutiny.sqlite"  # here, not in db.py, so the command line can name it without loading SQLAlchemy
