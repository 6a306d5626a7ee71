"""Counts for a review: imports running up between packages, function-level project imports, modules over 400 lines.

Usage: .venv/bin/python scripts/layout_report.py [TREE]   (default: this checkout)
"""

import ast
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent).resolve()
LAYERS = ("common", "legal", "accounts", "facilities", "incidents", "analytics", "config")


def imports(path):
    tree = ast.parse(path.read_text())
    out = []

    def visit(node, inf):
        for ch in ast.iter_child_nodes(node):
            inner = inf or isinstance(ch, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(ch, ast.Import):
                out.extend((ch.lineno, a.name, inf) for a in ch.names)
            elif isinstance(ch, ast.ImportFrom) and ch.module and ch.level == 0:
                out.append((ch.lineno, ch.module, inf))
            visit(ch, inner)

    visit(tree, False)
    return out


up, fn, arrows, long = [], [], set(), []
for rank, pkg in enumerate(LAYERS):
    if not (root / pkg).exists():
        continue
    for p in sorted((root / pkg).rglob("*.py")):
        if "migrations" in p.parts:
            continue
        n = len(p.read_text().splitlines())
        if n > 400:
            long.append(f"{p.relative_to(root)} ({n})")
        for line, mod, inf in imports(p):
            top = mod.split(".")[0]
            if top not in LAYERS:
                continue
            if LAYERS.index(top) > rank:
                up.append(f"{p.relative_to(root)}:{line} -> {mod}")
                arrows.add((pkg, top))
            if inf:
                fn.append(f"{p.relative_to(root)}:{line} {mod}")
print("upward imports:", len(up), "between", sorted(arrows))
[print("  ", u) for u in up]
print("function-level project imports:", len(fn))
[print("  ", f) for f in fn]
print("modules over 400 lines:", long)
