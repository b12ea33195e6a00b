"""The portal's production settings, served with the benchmark's URLconf (the
portal's URLs plus the trivial baseline view). Nothing in portal/ imports bench/."""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
WSGI_APPLICATION = "bench.wsgi.application"
