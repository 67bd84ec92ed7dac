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
  // A large page carries each closed section as the text of a noscript element (class "later"): built here
  // when the section is first opened (or printed), so that opening the page parses none of them.
  function fill(details) {
    var later = details.querySelector(":scope > noscript.later");
    if (!later) return;
    var holder = document.createElement("div");
    holder.innerHTML = later.textContent;
    later.replaceWith.apply(later, Array.prototype.slice.call(holder.childNodes));
  }
  document.addEventListener("toggle", function (event) {
    if (event.target.tagName === "DETAILS" && event.target.open) fill(event.target);
  }, true);
  function reveal() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.tagName === "DETAILS") { target.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { fill(d); d.open = true; });
  });
})();
