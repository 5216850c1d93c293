/* Planning page: choose a team's start point by clicking the map.
 *
 * "Choose on the map" arms one pick: the next click on the planning map is turned into
 * longitude/latitude (MapLibre's unproject, no request to anyone) and written into the start
 * point field as "lon, lat", which the server checks like anything typed there.
 */
(function () {
  "use strict";

  var BUTTON = "pln-team-pick";
  var FIELD = "pln-team-start";

  function mapOf(gd) {
    var full = gd && gd._fullLayout;
    var sub = full && full.map && full.map._subplot;
    return sub && sub.map;
  }

  function arm(button) {
    var gd = document.querySelector("#pln-map .js-plotly-plot");
    var map = mapOf(gd);
    if (!map || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    var label = button.textContent;
    button.textContent = "Now click the start point on the map";
    gd.classList.add("picking");
    gd.addEventListener("click", function (event) {
      event.stopPropagation();
      var box = map.getCanvas().getBoundingClientRect();
      var at = map.unproject([event.clientX - box.left, event.clientY - box.top]);
      var text = at.lng.toFixed(5) + ", " + at.lat.toFixed(5);
      window.dash_clientside.set_props(FIELD, {value: text});
      gd.classList.remove("picking");
      button.textContent = label;
    }, {capture: true, once: true});
  }

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest("#" + BUTTON);
    if (button) { arm(button); }
  });
})();
