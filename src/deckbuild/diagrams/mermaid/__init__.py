"""Parsers for Mermaid's diagram languages, one module per diagram type."""
