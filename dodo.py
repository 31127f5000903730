"""doit entry point: `doit` in the repository root builds the sample course in slides/ into build/.

`deckbuild build` runs the same graph for any course folder.
"""

from pathlib import Path

from deckbuild.tasks import make_namespace

_namespace, _graph = make_namespace(Path("slides"), Path("build"))
globals().update(_namespace)
