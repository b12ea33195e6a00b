// Draws the hospitals of the current result list on a Leaflet map. The markers
// come from the list itself (data-lat/data-lon on each result), so the list and
// the map always agree and the page works without JavaScript. Tiles are drawn
// only when the operator configured a tile server (data-tile-url); without it
// the markers sit on a plain background.
(function () {
  "use strict";
  var element = document.getElementById("hospital-map");
  if (!element || typeof L === "undefined") { return; }
  var map = L.map(element, { scrollWheelZoom: false, zoomControl: false });
  // The zoom buttons' names in the page's language; the attribution names the
  // library without Leaflet's English tooltip.
  L.control.zoom({
    zoomInTitle: element.getAttribute("data-zoom-in") || "Zoom in",
    zoomOutTitle: element.getAttribute("data-zoom-out") || "Zoom out"
  }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  var tileUrl = element.getAttribute("data-tile-url");
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18, attribution: element.getAttribute("data-tile-attribution") || "" }).addTo(map);
  }
  var bounds = [];
  document.querySelectorAll("[data-lat][data-lon]").forEach(function (item) {
    var lat = parseFloat(item.getAttribute("data-lat"));
    var lon = parseFloat(item.getAttribute("data-lon"));
    if (isNaN(lat) || isNaN(lon)) { return; }
    var link = document.createElement("a");
    link.href = item.getAttribute("data-url");
    link.textContent = item.getAttribute("data-name");
    L.circleMarker([lat, lon], { radius: 8, weight: 2, color: "#0b5394", fillOpacity: 0.7 })
      .bindPopup(link).addTo(map);
    bounds.push([lat, lon]);
  });
  if (bounds.length) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
  } else {
    map.setView([22.6, 113.7], 8);
  }
  element.classList.add("map-ready");
})();
