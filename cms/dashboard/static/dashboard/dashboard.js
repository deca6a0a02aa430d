// The leadership dashboard's map. Reports are drawn as vector markers and
// the kecamatan as labelled points with a guide line, so the map still reads
// when no tile server answers (offline, blocked): the tiles are only the
// backdrop. Without this script the counts per kecamatan are in the table.
(function () {
  "use strict";

  var LETTER = { rendah: "R", sedang: "S", tinggi: "T", darurat: "D" };

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function init() {
    var element = document.getElementById("dasbor-peta");
    var source = document.getElementById("dasbor-peta-data");
    if (!element || !source || typeof window.L === "undefined") return;
    var L = window.L;
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    map.fitBounds(data.bounds, { padding: [10, 10] });

    var failed = 0;
    var loaded = 0;
    var tiles = L.tileLayer(element.dataset.tiles, { maxZoom: 18, attribution: element.dataset.attribution });
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () {
      failed += 1;
      if (!loaded && failed >= 2 && map.hasLayer(tiles)) {
        // No tile server: drop the grey squares, keep the drawing, say why.
        map.removeLayer(tiles);
        element.classList.add("dasbor-peta--tanpa-ubin");
        document.getElementById("dasbor-peta-cadangan").hidden = false;
        element.dataset.cadangan = "1";
      }
    });
    tiles.addTo(map);

    if (data.outline.length) {
      L.polygon(data.outline, { color: "#555", weight: 1, dashArray: "4 4", fill: false, interactive: false }).addTo(map);
    }
    // Kecamatan names sit below the report markers (their own pane), so a
    // label never hides a report.
    map.createPane("kecamatan");
    map.getPane("kecamatan").style.zIndex = 450;
    data.kecamatan.forEach(function (k) {
      L.marker([k.lat, k.lng], {
        pane: "kecamatan",
        icon: L.divIcon({
          className: "dasbor-label-kecamatan",
          html: "<span>" + text(k.nama) + " (" + k.jumlah + ")</span>",
          iconSize: null,
        }),
        keyboard: false,
        title: k.nama,
      }).on("click", function () { window.location.href = k.url; }).addTo(map);
    });
    data.points.forEach(function (p) {
      var letter = LETTER[p.urgensi] || "?";
      var marker = L.marker([p.lat, p.lng], {
        icon: L.divIcon({
          className: "dasbor-penanda dasbor-penanda--" + p.urgensi,
          html: "<span>" + letter + "</span>",
          iconSize: [22, 22],
          iconAnchor: [11, 11],
        }),
        title: p.nomor + " · " + p.urgensi_label,
        alt: p.nomor,
        keyboard: true,
      });
      marker.bindPopup(
        "<strong><a href=\"" + p.url + "\">" + text(p.nomor) + "</a></strong><br>" +
        text(p.judul) + "<br>" + text(p.urgensi_label) + " · Kec. " + text(p.kecamatan) + "<br>" +
        text(p.waktu) + " WITA"
      );
      marker.addTo(map);
    });
    element.dataset.penanda = String(data.points.length);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
