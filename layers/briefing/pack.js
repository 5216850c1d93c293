/* The briefing pack's only code of its own: draws the maps (Leaflet) and charts (plotly.js).
 *
 * Every figure comes from the JSON data block (#pack-data), never from code written per pack,
 * so this file is the same for every pack and the page's Content-Security-Policy allows it by
 * its hash. Text from the store (team call signs, districts, types) is put into the page as
 * text: tooltips are built with textContent, and Leaflet's layer control, which takes HTML,
 * receives names escaped first.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("pack-data").textContent);

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (ch) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[ch];
    });
  }

  function textTip(value) {
    var el = document.createElement("div");
    el.textContent = String(value);
    return el;
  }

  function districtStyle(feature) {
    var fill = feature.properties.fill;
    return {color: "#333333", weight: 1.5, fillColor: fill || "#f2f2ee",
            fillOpacity: fill ? 0.8 : 0.6};
  }

  function drawMap(el, spec) {
    var map = L.map(el, {attributionControl: false, maxZoom: 16, zoomSnap: 0.25});
    L.control.scale().addTo(map);
    var districts = L.geoJSON(spec.districts, {
      style: districtStyle,
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(textTip(feature.properties.tip), {sticky: true});
      }
    }).addTo(map);
    map.fitBounds(districts.getBounds());
    var overlays = {};
    spec.layers.forEach(function (layer) {
      var group = L.featureGroup();
      layer.markers.forEach(function (m) {
        L.circleMarker([m.lat, m.lon], {
          radius: m.radius, color: m.color, weight: m.weight, fill: m.fill !== null,
          fillColor: m.fill || m.color, fillOpacity: m.fillOpacity
        }).bindTooltip(textTip(m.tip), {sticky: true}).addTo(group);
      });
      group.addTo(map);
      if (layer.name !== null) { overlays[escapeHtml(layer.name)] = group; }
    });
    if (spec.control) {
      L.control.layers(null, overlays, {collapsed: false}).addTo(map);
    }
  }

  document.querySelectorAll("[data-map]").forEach(function (el) {
    drawMap(el, data.maps[el.getAttribute("data-map")]);
  });
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = data.charts[el.getAttribute("data-chart")];
    Plotly.newPlot(el, spec.data, spec.layout, {displayModeBar: false, responsive: true});
  });
})();
