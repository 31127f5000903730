"""Configuration written inside a Mermaid block: YAML front matter and `%%{init: …}%%`.

Mermaid lets a block carry its own settings, either as front matter
(`---` / `title:` / `config:` / `---`) or as an init directive. deckbuild
honours the few that map onto its theme (a diagram title, the main colours,
chart settings) and reports the rest, so an author knows what was ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import yaml

from ...theme import DiagramStyle
from .common import colour

_INIT = re.compile(r"^\s*%%\{\s*(?:init|initialize)\s*:\s*(.*)\}%%\s*$", re.DOTALL)

# themeVariables that map onto the theme's DiagramStyle fields.
STYLE_VARIABLES = {
    "primaryColor": "node_fill",
    "primaryBorderColor": "node_stroke",
    "primaryTextColor": "text",
    "lineColor": "edge",
    "clusterBkg": "frame_fill",
    "clusterBorder": "frame_stroke",
    "noteBkgColor": "note_fill",
    "noteBorderColor": "note_stroke",
}
# Settings the diagram types read themselves (dotted paths inside the config).
TYPE_SETTINGS = {
    "xyChart.width", "xyChart.height", "xyChart.showDataLabel", "xyChart.chartOrientation",
    "themeVariables.xyChart.plotColorPalette", *(f"themeVariables.pie{n}" for n in range(1, 13)),
}
# Themes whose look is ours anyway; any other theme name is reported as ignored.
NEUTRAL_THEMES = {"default", "base", "neutral"}


@dataclass(frozen=True)
class DiagramConfig:
    """A block's own settings: its front-matter title, the merged config, and what was ignored."""

    title: str = ""
    values: dict = field(default_factory=dict)
    ignored: tuple[str, ...] = ()

    def get(self, path: str, default=None):
        """The value at a dotted path such as 'xyChart.width', or default."""
        node = self.values
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def style(self, base: DiagramStyle) -> DiagramStyle:
        """base with the block's colour variables applied."""
        variables = self.get("themeVariables", {})
        changes = {}
        if isinstance(variables, dict):
            for name, attribute in STYLE_VARIABLES.items():
                value = colour(str(variables.get(name, "")))
                if value:
                    changes[attribute] = value.upper()
        return replace(base, **changes) if changes else base


def diagram_config(source: str) -> DiagramConfig:
    """The settings a block carries; unreadable or unused settings are listed in `ignored`."""
    lines = source.splitlines()
    values: dict = {}
    ignored: list[str] = []
    title = ""
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            front = _load("\n".join(lines[1:end]), ignored, "front matter")
            title = str(front.pop("title", "") or "")
            config = front.pop("config", {})
            _merge(values, config if isinstance(config, dict) else {})
            ignored.extend(sorted(str(key) for key in front))
    for line in lines:
        match = _INIT.match(line)
        if match:
            _merge(values, _load(match.group(1), ignored, "%%{init}%%"))
    ignored.extend(_unused(values))
    return DiagramConfig(title, values, tuple(ignored))


def _load(text: str, ignored: list[str], where: str) -> dict:
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError:
        ignored.append(f"{where} (not readable)")
        return {}
    if not isinstance(loaded, dict):
        if loaded is not None:
            ignored.append(f"{where} (not a mapping)")
        return {}
    return loaded


def _merge(into: dict, values: dict) -> None:
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _unused(values: dict, prefix: str = "") -> list[str]:
    """Dotted paths of settings nothing in deckbuild reads."""
    unused = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        if path == "theme":
            if str(value) not in NEUTRAL_THEMES:
                unused.append(f"theme: {value}")
        elif path.startswith("themeVariables.") and key in STYLE_VARIABLES:
            continue
        elif isinstance(value, dict):
            unused.extend(_unused(value, path + "."))
        elif path not in TYPE_SETTINGS:
            unused.append(path)
    return unused
