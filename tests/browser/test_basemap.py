"""The hospital map works without a tile server (issue 18, item 8): the outline of
the nine cities, Hong Kong and Macao ships in static/, with the border crossings and
the hospitals on it, named in the page's language; nothing is fetched from elsewhere."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests import factories
from tests.browser.journey import check, languages

CITY_LABELS = {"en": ("Shenzhen", "Hong Kong", "Macao"), "zh-hant": ("深圳", "香港", "澳門"),
               "zh-hans": ("深圳", "香港", "澳门")}
MAP_NAMES = ("Leaflet", "km", "Natural Earth")


@pytest.fixture
def on_the_map(transactional_db):
    cache.clear()
    factories.BorderPointFactory()  # Shenzhen Bay
    factories.HospitalFactory(slug="hku-szh", latitude="22.525", longitude="113.990")


@languages
def test_outline_ports_and_hospitals_without_tiles(page_in, snap, on_the_map, lang, locale, live_server):
    page = page_in(locale)
    elsewhere: list[str] = []
    page.on("request", lambda request: elsewhere.append(request.url)
            if not request.url.startswith((live_server.url, "data:")) else None)
    page.goto(f"/{lang}/hospitals/")
    page.wait_for_selector("#hospital-map.map-ready")
    basemap = page.locator("#hospital-map .leaflet-basemap-pane path")
    expect(basemap).to_have_count(11)  # nine cities, Hong Kong, Macao
    labels = page.locator("#hospital-map .map-label")
    expect(labels).to_have_count(11)
    for name in CITY_LABELS[lang]:
        expect(labels.filter(has_text=name)).to_have_count(1)
    expect(page.locator("#hospital-map .map-port")).to_have_count(1)
    expect(page.locator("#hospital-map .leaflet-overlay-pane path.leaflet-interactive")).to_have_count(1)
    expect(page.locator("#hospital-map .leaflet-tile")).to_have_count(0)
    check(page, lang, snap, "map-without-tiles", allowed=MAP_NAMES)
    assert elsewhere == []


def test_configured_tiles_are_drawn_over_the_outline(page_in, on_the_map, settings, live_server):
    settings.MAP_TILE_URL = f"{live_server.url}/static/tiles/{{z}}/{{x}}/{{y}}.png"  # answered 404: no network
    page = page_in("en-GB")
    page.goto("/en/hospitals/")
    page.wait_for_selector("#hospital-map.map-ready .leaflet-basemap-pane path", state="attached")
    expect(page.locator("#hospital-map .leaflet-tile-pane img.leaflet-tile").first).to_be_attached()
    z_index = page.evaluate("""() => {
        const map = document.getElementById('hospital-map');
        return [map.querySelector('.leaflet-basemap-pane'), map.querySelector('.leaflet-tile-pane')]
            .map(pane => Number(getComputedStyle(pane).zIndex)); }""")
    assert z_index[0] < z_index[1], z_index
