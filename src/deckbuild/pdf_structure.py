"""The structure trees of a handout's tagged pieces (front and parts) → one tree for the assembled PDF.

WeasyPrint tags each piece: a Document element holding the elements of the HTML
(headings, paragraphs, lists, tables, figures with their alt text, links), and
a parent tree that maps each page's marked content (keyed by the page's
/StructParents) and each link's annotation (its /StructParent) to its element.
The assembly keeps the front's tree, language, title and MarkInfo, and appends
each part's elements to its Document; a part's parent-tree keys move past the
keys used before it, and its pages and annotations follow. Elements point at
their pages and annotations through the copies the assembly made of them
(pikepdf maps every object of a source once), so nothing else is rewritten.
"""

from __future__ import annotations

import pikepdf


def merge_structure(pdf: pikepdf.Pdf, parts: list[pikepdf.Pdf], starts: list[int]) -> None:
    """Append the structure of each part (its pages already copied into pdf from index starts[i]) to pdf's."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    document = root.K[0]
    entries = list(pikepdf.NumberTree(root.ParentTree).items())
    for part, start in zip(parts, starts):
        part_root = part.Root.StructTreeRoot
        offset = max((key for key, _ in entries), default=-1) + 1
        part_document = part_root.K[0]
        del part_document.P  # its kids' parent becomes pdf's Document; the part's root stays behind
        for kid in pdf.copy_foreign(part_document).K:
            kid.P = document
            document.K.append(kid)
        parent_tree = pdf.copy_foreign(part.make_indirect(part_root.ParentTree))
        entries += [(key + offset, value) for key, value in pikepdf.NumberTree(parent_tree).items()]
        for page in pdf.pages[start:start + len(part.pages)]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
    numbers = pikepdf.Array()
    for key, value in entries:
        numbers.extend([key, value])
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=numbers))
    root.ParentTreeNextKey = max((key for key, _ in entries), default=-1) + 1
