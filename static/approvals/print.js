// 決裁文書の印刷: the print button (a file, not an inline handler, so the Content-Security-Policy allows it).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
