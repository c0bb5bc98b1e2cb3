// The API reference at /docs: Swagger UI (vendored, see vendor/VENDORED.toml) drawing the
// service's own openapi.yaml. Kept out of the page so that its CSP needs no inline script.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.yaml",
    dom_id: "#docs",
    deepLinking: true,
    // Otherwise Swagger UI asks validator.swagger.io about the document: no other host, ever.
    validatorUrl: null,
  });
});
