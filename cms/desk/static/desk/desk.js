// The verification desk: the map (Leaflet, when it loaded) and the photo
// viewer. Without this script the page still works: the coordinates and an
// OpenStreetMap link are printed, and each photo opens in its own tab.
(function () {
  "use strict";

  function initMap() {
    var element = document.getElementById("meja-peta");
    if (!element || typeof window.L === "undefined") return;
    var lat = parseFloat(element.dataset.lat);
    var lng = parseFloat(element.dataset.lng);
    if (isNaN(lat) || isNaN(lng)) return;
    element.hidden = false;
    var map = window.L.map(element, { scrollWheelZoom: false }).setView([lat, lng], 15);
    var failed = 0;
    var loaded = 0;
    var layer = window.L.tileLayer(element.dataset.tiles, {
      maxZoom: 19,
      attribution: element.dataset.attribution,
    });
    layer.on("tileerror", function () {
      failed += 1;
      if (!loaded && failed >= 2) {
        // No tile server reachable: say so instead of showing a grey box.
        element.hidden = true;
        document.getElementById("meja-peta-galat").hidden = false;
      }
    });
    layer.on("tileload", function () { loaded += 1; });
    layer.addTo(map);
    window.L.marker([lat, lng], { title: element.dataset.label, alt: element.dataset.label }).addTo(map);
    var accuracy = parseFloat(element.dataset.akurasi);
    if (!isNaN(accuracy) && accuracy > 0) {
      window.L.circle([lat, lng], { radius: accuracy, weight: 1 }).addTo(map);
    }
  }

  function initLightbox() {
    var dialog = document.getElementById("meja-lightbox");
    if (!dialog || typeof dialog.showModal !== "function") return;
    var image = document.getElementById("meja-lightbox-img");
    document.querySelectorAll(".meja-lampiran__foto").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var thumb = link.querySelector("img");
        image.src = link.dataset.besar;
        image.alt = thumb ? thumb.alt : "";
        dialog.showModal();
      });
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();
    });
  }

  function start() {
    initMap();
    initLightbox();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
