/* District names on OpsMap's maps, drawn as HTML over the map.
 *
 * MapLibre text labels need glyph files from a font server on the internet; OpsMap makes no
 * third-party request, so the names are plain DOM elements positioned with map.project().
 * The names and positions come from the figure's layout.meta.labels (set by the server); a
 * label's optional "cls" adds a class (the planning map's numbered route stops).
 */
(function () {
  "use strict";

  function attach(gd) {
    var full = gd._fullLayout;
    var sub = full && full.map && full.map._subplot;
    if (!sub || !sub.map) { return; }
    var map = sub.map;
    var labels = (gd.layout && gd.layout.meta && gd.layout.meta.labels) || [];
    if (map.__opsmapLabels === labels) { return; }
    map.__opsmapLabels = labels;
    var container = map.getContainer();
    var layer = container.querySelector(".opsmap-labels");
    if (!layer) {
      layer = document.createElement("div");
      layer.className = "opsmap-labels";
      container.appendChild(layer);
    }
    layer.textContent = "";
    var els = labels.map(function (label) {
      var el = document.createElement("div");
      el.className = "opsmap-label" + (label.cls ? " " + label.cls : "");
      el.textContent = label.name;
      layer.appendChild(el);
      return el;
    });
    function place() {
      labels.forEach(function (label, i) {
        var p = map.project([label.lon, label.lat]);
        els[i].style.transform = "translate(" + p.x + "px," + p.y + "px) translate(-50%, -50%)";
      });
    }
    map.on("move", place);
    place();
  }

  window.setInterval(function () {
    document.querySelectorAll(".js-plotly-plot").forEach(attach);
  }, 800);
})();
