// Draws the hospitals of the current result list on a Leaflet map. The markers
// come from the list itself (data-lat/data-lon on each result), so the list and
// the map always agree and the page works without JavaScript.
//
// Under them lies an outline basemap shipped with the portal
// (static/geo/gba-basemap.geojson: the nine cities, Hong Kong and Macao; see
// static/geo/NOTICE.md), so the map needs no tile server. When the operator
// configured one (data-tile-url), its tiles are drawn over the outline; the
// border crossings (#map-ports) and the hospitals are drawn over both.
(function () {
  "use strict";
  var element = document.getElementById("hospital-map");
  if (!element || typeof L === "undefined") { return; }
  var language = (document.documentElement.lang || "en").toLowerCase().replace("-", "_");
  var tileUrl = element.getAttribute("data-tile-url");
  // The outline is simplified to about 400 m: without tiles, zooming closer would
  // only show its corners (a hospital on the shore would seem to stand in the sea).
  var maxZoom = tileUrl ? 18 : 11;
  var map = L.map(element, { scrollWheelZoom: false, zoomControl: false, maxZoom: maxZoom });
  // The zoom buttons' names in the page's language; the attribution names the
  // library without Leaflet's English tooltip.
  L.control.zoom({
    zoomInTitle: element.getAttribute("data-zoom-in") || "Zoom in",
    zoomOutTitle: element.getAttribute("data-zoom-out") || "Zoom out"
  }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');

  // Below Leaflet's tile pane (z-index 200), so configured tiles cover the outline.
  map.createPane("basemap").style.zIndex = 150;
  var basemapUrl = element.getAttribute("data-basemap-url");
  if (basemapUrl && window.fetch) {
    fetch(basemapUrl).then(function (response) { return response.json(); }).then(function (outline) {
      L.geoJSON(outline, {
        pane: "basemap",
        interactive: false,
        style: function (feature) {
          var mainland = feature.properties.region === "mainland";
          return { color: "#5f6b7a", weight: mainland ? 1 : 2, dashArray: mainland ? "4 3" : null,
                   fillColor: mainland ? "#f4f1e8" : "#e4eed8", fillOpacity: 1 };
        }
      }).addTo(map);
      outline.features.forEach(function (feature) {
        var label = document.createElement("span");
        label.textContent = feature.properties["name_" + language] || feature.properties.name_en;
        var at = feature.properties.label_at;
        L.tooltip({ permanent: true, direction: "center", className: "map-label", pane: "basemap" })
          .setLatLng([at[1], at[0]]).setContent(label).addTo(map);
      });
      map.attributionControl.addAttribution(element.getAttribute("data-basemap-attribution") || "");
    }).catch(function () { /* the markers still show on the plain background */ });
  }

  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18, attribution: element.getAttribute("data-tile-attribution") || "" }).addTo(map);
  }

  var ports = document.getElementById("map-ports");
  (ports ? JSON.parse(ports.textContent) : []).forEach(function (port) {
    var name = document.createElement("span");
    name.textContent = port.name;
    L.marker([port.lat, port.lon], {
      keyboard: false,
      icon: L.divIcon({ className: "map-port", iconSize: [12, 12] })
    }).bindTooltip(name).addTo(map);
  });

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
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: Math.min(13, maxZoom - 1) });
  } else {
    map.fitBounds([[21.9, 112.3], [23.8, 114.8]]);
  }
  element.classList.add("map-ready");
})();
