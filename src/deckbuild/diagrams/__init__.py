"""Mermaid diagrams drawn natively: parsers → models → layout → Scene → PowerPoint shapes and SVG."""
