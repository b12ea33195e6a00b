// Small enhancements on every page; each works without JavaScript too.
(function () {
  "use strict";

  // The phone menu: the header's menu button folds the main menu on narrow
  // screens (CSS: .menu-ready). Without JavaScript the button stays hidden and
  // the menu stays open.
  var header = document.querySelector(".site-header");
  var menuButton = header && header.querySelector(".menu-button");
  if (menuButton) {
    menuButton.hidden = false;
    header.classList.add("menu-ready");
    menuButton.addEventListener("click", function () {
      var open = menuButton.getAttribute("aria-expanded") !== "true";
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    });
  }

  // Tables become stacked cards on a phone (CSS: table.stacked): every cell is
  // labelled with its column's heading, so no column is hidden off-screen.
  // Without JavaScript the table scrolls inside its .table-scroll box.
  document.querySelectorAll(".table-scroll > table").forEach(function (table) {
    var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!headings.length) { return; }
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.colSpan === 1 && headings[cell.cellIndex]) { cell.setAttribute("data-label", headings[cell.cellIndex]); }
        if (!cell.textContent.trim() && !cell.querySelector("img, input, button, a")) { cell.classList.add("cell-empty"); }
      });
    });
    table.classList.add("stacked");
  });

  // Copy buttons (hospital addresses for a taxi): a button with data-copy="ID"
  // copies the text of the element with that id. The buttons stay hidden without
  // JavaScript or a clipboard; the text itself is always selectable.
  if (navigator.clipboard) {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var status = button.closest("dd, section").querySelector(".copy-status");
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          if (status) { status.textContent = status.getAttribute("data-copied"); }
        });
      });
    });
  }
})();
