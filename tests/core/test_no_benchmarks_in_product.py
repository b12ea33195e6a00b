"""Benchmarks live in bench/: the product neither routes to them nor imports them."""

import ast
from pathlib import Path

from django.urls import Resolver404, resolve

import portal


def test_production_urls_have_no_benchmark_route():
    for path in ("/bench/trivial", "/en/bench/trivial"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        raise AssertionError(f"{path} is routed to {match.func}")


def test_no_module_of_the_portal_imports_bench():
    importing = []
    for source in Path(portal.__file__).parent.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name == "bench" or name.startswith("bench.") for name in names):
                importing.append(str(source))
    assert importing == []
