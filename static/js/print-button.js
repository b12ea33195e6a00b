// A button marked data-print opens the browser's print dialog (the page's print CSS
// lays it out on A4 in large type). Kept in a file: the CSP allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
