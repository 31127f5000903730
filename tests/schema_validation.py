"""Validating the XML parts of a .pptx against the ECMA-376 transitional schemas in tests/schemas/."""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"
PML = "http://schemas.openxmlformats.org/presentationml/2006/main"
DML = "http://schemas.openxmlformats.org/drawingml/2006/main"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
# The schema each root namespace is validated with: pml.xsd imports dml-main.xsd (themes, table styles).
SCHEMA_FILES = {PML: "pml.xsd", DML: "pml.xsd", CHART: "dml-chart.xsd"}


@lru_cache(maxsize=None)
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def part_kind(name: str) -> str:
    """The folder of a part under ppt/ ('slides', 'charts', 'theme', …), or its name for parts
    directly in ppt/ ('presentation', 'presProps', …)."""
    inner = name.removeprefix("ppt/")
    return inner.split("/", 1)[0] if "/" in inner else inner.removesuffix(".xml")


def validate_package(pptx: bytes | Path) -> tuple[dict[str, int], list[str]]:
    """({part kind: parts validated}, ["part: error", …]) for every XML part under ppt/ whose root
    element is PresentationML, DrawingML or a chart (relationship parts and others are skipped)."""
    data = pptx.read_bytes() if isinstance(pptx, Path) else pptx
    counts: dict[str, int] = {}
    errors: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if not (name.startswith("ppt/") and name.endswith(".xml")):
                continue
            root = etree.fromstring(archive.read(name))
            schema_file = SCHEMA_FILES.get(etree.QName(root).namespace)
            if schema_file is None:
                continue
            validator = schema(schema_file)
            kind = part_kind(name)
            counts[kind] = counts.get(kind, 0) + 1
            if not validator.validate(root):
                errors.extend(f"{name}:{e.line}: {e.message}" for e in validator.error_log)
    return counts, errors
