// The wayfinder's map: markers for the activities in the list next to it. An extra, not the
// only way: the same activities are listed in the page, which works without JavaScript.
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("nabij-map");
    var source = document.getElementById("nabij-map-data");
    if (!element || !source || !window.L) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var map = window.L.map(element, { scrollWheelZoom: false });
    if (element.dataset.tiles) {
      window.L.tileLayer(element.dataset.tiles, {
        maxZoom: 19,
        attribution: element.dataset.attribution,
      }).addTo(map);
    }
    var bounds = [];
    data.markers.forEach(function (marker) {
      var link = document.createElement("a");
      link.href = marker.url;
      link.textContent = marker.title;
      var popup = document.createElement("div");
      popup.appendChild(link);
      popup.appendChild(document.createElement("br"));
      popup.appendChild(document.createTextNode(marker.place));
      window.L.marker([marker.lat, marker.lon], { title: marker.title, alt: marker.title })
        .addTo(map)
        .bindPopup(popup);
      bounds.push([marker.lat, marker.lon]);
    });
    if (data.you && data.centre) {
      window.L.circleMarker([data.centre.lat, data.centre.lon], { radius: 8 })
        .addTo(map)
        .bindTooltip(element.dataset.you);
      bounds.push([data.centre.lat, data.centre.lon]);
    }
    if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [24, 24] });
    } else if (data.centre) {
      map.setView([data.centre.lat, data.centre.lon], 15);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
