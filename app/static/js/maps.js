/* Etablera's map helpers, used by the Folium elements in app/maps/elements.py.
 * Data from the database is never parsed as HTML here: every text goes in with
 * textContent, so names like <img onerror=…> or ${…} show literally. */
(function () {
  "use strict";

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function number(value, locale, digits) {
    return Number(value).toLocaleString(locale, {maximumFractionDigits: digits, minimumFractionDigits: digits});
  }

  function line(box, label, value) {
    var row = el("div");
    row.appendChild(el("span", label + ": ", "text-body-secondary"));
    row.appendChild(el("span", value));
    box.appendChild(row);
  }

  /* Row: [lat, lon, id, status index, land m², building m², name,
   *       km to motorway, km to terminal, km to airport] */
  function sitePopup(config, row) {
    var t = config.labels;
    var status = config.statuses[row[3]];
    var box = el("div", null, "etablera-popup");
    var title = el("a", row[6], "fw-bold d-block mb-1");
    title.href = config.url.replace("0", String(row[2]));
    box.appendChild(title);
    line(box, t.municipality, config.municipality);
    line(box, t.status, status[1]);
    if (row[4] !== null) {
      line(box, t.land_area, number(row[4], config.locale, 0) + " m² (" + number(row[4] / 10000, config.locale, 1) + " ha)");
    }
    if (row[5] !== null) { line(box, t.building_area, number(row[5], config.locale, 0) + " m²"); }
    // Straight-line distances; to a node whose position is an estimate: "≈", whole km.
    var estimated = config.estimated || [];
    [[7, t.motorway], [8, t.terminal], [9, t.airport]].forEach(function (pair) {
      var km = row[pair[0]];
      line(box, pair[1], km === null ? "–" : estimated.indexOf(pair[0]) >= 0
        ? "≈ " + number(Math.round(km), config.locale, 0) : number(km, config.locale, 1));
    });
    return box;
  }

  function siteMarker(config) {
    return function (row) {
      var colour = config.statuses[row[3]][2];
      var marker = L.circleMarker([row[0], row[1]], {
        radius: 7, color: "#333", weight: 1, fillColor: colour, fillOpacity: 0.9
      });
      marker.bindPopup(function () { return sitePopup(config, row); });
      marker.bindTooltip(function () { return el("span", row[6]); });
      return marker;
    };
  }

  /* Row: [lat, lon, name, kind, municipality, approximate note or null, note, colour,
   *       uncertainty radius in metres] */
  function nodeLayer(rows) {
    var group = L.featureGroup();
    rows.forEach(function (row) {
      var approximate = row[5] !== null;
      if (approximate) {
        L.circle([row[0], row[1]], {radius: row[8], color: row[7], weight: 1, dashArray: "4 4",
          fill: false, interactive: false}).addTo(group);
      }
      var marker = L.circleMarker([row[0], row[1]], {
        radius: 8, color: row[7], weight: approximate ? 2 : 3, dashArray: approximate ? "3 3" : null,
        fillColor: "#ffffff", fillOpacity: 1
      });
      var label = [row[2], row[3], row[4]].concat(approximate ? [row[5]] : []).join(" · ");
      marker.bindTooltip(function () { return el("span", label); });
      marker.bindPopup(function () {
        var box = el("div", null, "etablera-popup");
        box.appendChild(el("div", label, "fw-bold"));
        if (row[6]) { box.appendChild(el("div", row[6])); }
        return box;
      });
      marker.addTo(group);
    });
    return group;
  }

  /* Narrow screens: the legend (a <details>) and the layer control start folded, and fold
   * again when the window narrows; a tap on the map folds the layer control. */
  var PHONE = window.matchMedia("(max-width: 575.98px)");

  function fitControls(map) {
    var box = map.getContainer();
    box.querySelectorAll("details.etablera-legend").forEach(function (legend) {
      legend.open = !PHONE.matches;
    });
    box.querySelectorAll(".leaflet-control-layers").forEach(function (layers) {
      layers.classList.toggle("leaflet-control-layers-expanded", !PHONE.matches);
    });
  }

  function compactOnPhones(map) {
    setTimeout(function () { fitControls(map); });  // once the controls are added
    PHONE.addEventListener("change", function () { fitControls(map); });
    map.on("click", function () {
      if (PHONE.matches) {
        map.getContainer().querySelectorAll(".leaflet-control-layers").forEach(function (layers) {
          layers.classList.remove("leaflet-control-layers-expanded");
        });
      }
    });
  }

  function legend(map, config) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
      var box = el("details", null, "etablera-legend leaflet-bar");
      box.open = !PHONE.matches;
      L.DomEvent.disableClickPropagation(box);
      box.setAttribute("data-testid", "map-legend");
      box.appendChild(el("summary", config.title, "fw-bold"));
      config.items.forEach(function (item) {
        var row = el("div");
        var swatch = el("span", null, "etablera-swatch etablera-swatch-" + item.shape);
        // A ring (a logistics node) is drawn in its colour's outline, as the marker is.
        if (item.shape.indexOf("ring") === 0) { swatch.style.borderColor = item.colour; }
        else { swatch.style.background = item.colour; }
        row.appendChild(swatch);
        row.appendChild(el("span", item.label));
        box.appendChild(row);
      });
      return box;
    };
    control.addTo(map);
  }

  function clickToSet(map, config) {
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    }
    if (config.position) { place(config.position); }
    map.on("click", function (event) {
      var lat = document.getElementById(config.lat);
      var lon = document.getElementById(config.lon);
      if (lat) { lat.value = event.latlng.lat.toFixed(6); }
      if (lon) { lon.value = event.latlng.lng.toFixed(6); }
      place(event.latlng);
    });
  }

  window.EtableraMaps = {siteMarker: siteMarker, nodeLayer: nodeLayer, legend: legend,
    clickToSet: clickToSet, sitePopup: sitePopup, compactOnPhones: compactOnPhones};
})();
