// Starts Swagger UI for /api/docs/ from a static file, so the page needs no
// inline script (see templates/drf_spectacular/swagger_ui.html).
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") { return; }
  var csrfHeader = element.getAttribute("data-csrf-header");
  var csrfToken = element.getAttribute("data-csrf-token");
  window.ui = SwaggerUIBundle({
    url: element.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      if (request.method && request.method !== "GET" && csrfHeader && csrfToken) {
        request.headers[csrfHeader] = csrfToken;
      }
      return request;
    }
  });
})();
