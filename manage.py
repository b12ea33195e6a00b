#!/usr/bin/env python
import os
import sys


def main() -> None:
    # Production unless told otherwise (see portal/wsgi.py); the Makefile's developer targets
    # choose portal.settings.local, and pytest portal.settings.test (pyproject.toml).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
