// Copies the vendored browser code out of node_modules (after `npm ci`).
// Leaflet -> the desk's static files; axe-core -> the browser tests.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const copies = [
  ["leaflet/dist/leaflet.js", "cms/desk/static/desk/vendor/leaflet/leaflet.js"],
  ["leaflet/dist/leaflet.css", "cms/desk/static/desk/vendor/leaflet/leaflet.css"],
  ["leaflet/dist/images/marker-icon.png", "cms/desk/static/desk/vendor/leaflet/images/marker-icon.png"],
  ["leaflet/dist/images/marker-icon-2x.png", "cms/desk/static/desk/vendor/leaflet/images/marker-icon-2x.png"],
  ["leaflet/dist/images/marker-shadow.png", "cms/desk/static/desk/vendor/leaflet/images/marker-shadow.png"],
  ["leaflet/LICENSE", "cms/desk/static/desk/vendor/leaflet/LICENSE"],
  ["axe-core/axe.min.js", "tests/browser/vendor/axe-core/axe.min.js"],
  ["axe-core/LICENSE", "tests/browser/vendor/axe-core/LICENSE"],
];
for (const [from, to] of copies) {
  const target = path.join(root, to);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(__dirname, "node_modules", from), target);
  console.log(`${from} -> ${to}`);
}
