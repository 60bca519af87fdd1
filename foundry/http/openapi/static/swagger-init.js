// Starts Swagger UI from the data attributes of #swagger-ui (no inline script: the page's
// Content-Security-Policy allows scripts from this origin only).
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  var ui = SwaggerUIBundle({
    url: element.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    persistAuthorization: false,
    validatorUrl: null,
    oauth2RedirectUrl: window.location.origin + element.dataset.oauth2RedirectUrl,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
  ui.initOAuth({ usePkceWithAuthorizationCodeGrant: true });
  window.ui = ui;
})();
