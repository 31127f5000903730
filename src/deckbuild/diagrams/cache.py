"""Laid-out diagrams kept on disk, so each diagram is laid out once.

Scenes are stored as JSON named by a hash of the source, the theme's diagram
style, the text metrics and the tool's code: however many outputs show a
diagram, and however often the text around it changes, it is laid out once.
Build tasks compute the names without laying anything out, which is why the
layout code is imported only when a scene is actually made.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from ..files import write_atomically
from ..measure import Measurer
from ..theme import DiagramStyle
from .model import MermaidError
from .scene import Scene


_ERROR_START = b'{"error"'  # how a cache file keeping an error starts (as `store` writes it: the error first)


class SceneCache:
    """Scenes stored as JSON files named by a hash of everything that shapes them.

    A block that cannot be drawn is stored too, as its error, so every output
    that shows it learns why without parsing it again."""

    def __init__(self, folder: Path | None, salt: str) -> None:
        self.folder = folder
        self.salt = salt
        self._settings_digests: dict[tuple, "hashlib._Hash"] = {}

    def key(self, source: str, style: DiagramStyle, measure: Measurer) -> str:
        digest = self._settings_digest(style, measure).copy()
        digest.update(source.encode())
        return digest.hexdigest()[:32]

    def _settings_digest(self, style: DiagramStyle, measure: Measurer):
        """The hash of the tool, the style and the metrics, to be continued with a source: made once per
        style and fonts, as a build names the scenes of every diagram of the course before it starts."""
        settings = (style, measure.body_family, measure.mono_family, measure.safety)
        digest = self._settings_digests.get(settings)
        if digest is None:
            digest = hashlib.sha256(self.salt.encode())
            digest.update(repr(sorted(asdict(style).items())).encode())
            digest.update(f"{measure.body_family}|{measure.mono_family}|{measure.safety}".encode())
            self._settings_digests[settings] = digest
        return digest

    def path(self, source: str, style: DiagramStyle, measure: Measurer) -> Path | None:
        """Where the scene for source is kept (None without a cache folder)."""
        return None if self.folder is None else self.folder / f"{self.key(source, style, measure)}.json"

    @staticmethod
    def holds_error(path: Path) -> bool:
        """Whether the cache file at path keeps the reason its block cannot be drawn (False when it
        is a scene or not made yet); read without parsing the scene."""
        try:
            with path.open("rb") as file:
                return file.read(len(_ERROR_START)) == _ERROR_START
        except OSError:
            return False

    def scene(self, source: str, kind: str, measure: Measurer, style: DiagramStyle) -> Scene:
        """The cached Scene for source, laid out now when not cached yet; MermaidError when it
        cannot be drawn."""
        path = self.path(source, style, measure)
        if path is None:
            return self.store(source, kind, measure, style)
        try:
            text = path.read_text(encoding="utf-8")
            stored = json.loads(text)
            if "error" in stored:
                raise MermaidError(stored["line"], stored["error"])
            return Scene.from_json(text)
        except (OSError, ValueError, TypeError, KeyError):
            return self.store(source, kind, measure, style)

    def store(self, source: str, kind: str, measure: Measurer, style: DiagramStyle) -> Scene:
        """Lay source out and keep the result (or its error) in the cache; MermaidError when it
        cannot be drawn."""
        from .build import build_scene  # parsers and layouts load only when a scene is made

        path = self.path(source, style, measure)
        try:
            scene = build_scene(source, kind, measure, style)
        except MermaidError as error:
            if path is not None:
                write_atomically(path, json.dumps({"error": error.message, "line": error.line}, ensure_ascii=False))
            raise
        if path is not None:
            write_atomically(path, scene.to_json())
        return scene

