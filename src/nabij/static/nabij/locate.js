// "Use where I am now": fills the hidden lat/lon fields from the browser's location, only after
// the visitor presses the button and the browser asks them. Without JavaScript the button stays hidden.
(function () {
  "use strict";
  function start() {
    var button = document.querySelector("[data-locate]");
    if (!button || !("geolocation" in navigator)) {
      return;
    }
    var paragraph = button.closest("p");
    var status = paragraph.querySelector("[role=status]");
    paragraph.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(
        function (position) {
          document.getElementById("id_lat").value = position.coords.latitude.toFixed(6);
          document.getElementById("id_lon").value = position.coords.longitude.toFixed(6);
          status.textContent = button.dataset.found;
        },
        function () {
          status.textContent = button.dataset.failed;
        },
        { timeout: 10000, maximumAge: 60000 }
      );
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
