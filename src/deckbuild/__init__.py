"""deckbuild: a course written in markdown becomes decks, handouts and assignment sheets."""

__version__ = "0.1.0"
