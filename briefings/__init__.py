"""briefings: curated news briefings, grouped by topic, published as a static site."""

__version__ = "0.2.0"
