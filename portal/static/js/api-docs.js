// Swagger UI on /api/docs, reading the OpenAPI document named by the page. Kept out of
// the page so the Content-Security-Policy needs no inline script.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.dataset.spec,
    domNode: root,
    deepLinking: false,
    // No calls to the validator at swagger.io: nothing leaves this site.
    validatorUrl: null,
    // Each operation shows its own schemas; the long list of them all is left out.
    defaultModelsExpandDepth: -1,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
