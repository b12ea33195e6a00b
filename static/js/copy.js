// Copy buttons (hospital addresses for a taxi): a button with data-copy="ID" copies
// the text of the element with that id. The buttons stay hidden without JavaScript
// or a clipboard; the text itself is always selectable.
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
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
})();
