// Sorting the leaderboards by a click on a column heading, and opening a forecaster's or question's
// section when a link points at it. The page reads the same without this script.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function key(cell) { return cell.getAttribute("data-sort") || ""; }
  function compare(type, a, b) {
    if (a === "" || b === "") return a === b ? 0 : a === "" ? 1 : -1; // empty cells last, whichever the order
    return type === "number" ? parseFloat(a) - parseFloat(b) : a.localeCompare(b);
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var heads = table.tHead.rows[0].cells, body = table.tBodies[0];
    Array.prototype.forEach.call(heads, function (head, column) {
      var button = document.createElement("button");
      button.type = "button";
      while (head.firstChild) button.appendChild(head.firstChild);
      head.appendChild(button);
      button.addEventListener("click", function () {
        var descending = head.getAttribute("aria-sort") === "ascending";
        var type = head.getAttribute("data-type");
        var rows = Array.prototype.slice.call(body.rows).filter(function (row) { return row.cells[column] && row.cells[column].hasAttribute("data-sort"); });
        rows.sort(function (a, b) {
          var x = key(a.cells[column]), y = key(b.cells[column]);
          var order = compare(type, x, y);
          return (x === "" || y === "") ? order : descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        Array.prototype.forEach.call(heads, function (other) { other.removeAttribute("aria-sort"); });
        head.setAttribute("aria-sort", descending ? "descending" : "ascending");
      });
    });
  });
  function reveal() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.tagName === "DETAILS") { target.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
