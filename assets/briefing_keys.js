/* Keyboard control of the briefing screen (dashboard/pages/briefing).
 *
 * Space or P pauses/resumes the rotation, the right arrow, N or Page Down shows the next panel,
 * the left arrow, B or Page Up the previous one (presentation clickers send Page Up/Down).
 * The keys click the page's own buttons, so the server callbacks (and their authorisation)
 * handle every change. Does nothing on other pages or while typing in an input.
 */
(function () {
  "use strict";
  var KEYS = {
    " ": "briefing-pause", "p": "briefing-pause", "P": "briefing-pause", "Pause": "briefing-pause",
    "ArrowRight": "briefing-next", "n": "briefing-next", "N": "briefing-next",
    "PageDown": "briefing-next",
    "ArrowLeft": "briefing-prev", "b": "briefing-prev", "B": "briefing-prev",
    "PageUp": "briefing-prev"
  };
  document.addEventListener("keydown", function (event) {
    if (!document.getElementById("briefing-screen")) { return; }
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    if (event.ctrlKey || event.altKey || event.metaKey) { return; }
    var id = KEYS[event.key];
    var button = id && document.getElementById(id);
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();
