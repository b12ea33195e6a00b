"""Pieces of `manage.py bench_http` (issue #9 item 6): wrk scripts and parsing, the
booking fixtures, page weight and the report. Kept out of the command so the pure
parts can be unit-tested without a server."""
