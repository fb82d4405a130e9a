"""What changed in a window of time: the weekly digest, its renderings and the edition manifest.

``window.py`` says which days a digest covers, ``changes.py`` works out what changed in them
from the published edition, ``manifest.py`` records what one build publishes.
"""
