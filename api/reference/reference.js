// The interactive API reference (/docs/reference): Swagger UI over the contract this
// service serves. Everything it loads comes from this service; the page's
// Content-Security-Policy allows nothing else.
window.addEventListener('DOMContentLoaded', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.yaml',
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    // Never ask validator.swagger.io about the contract (the default would).
    validatorUrl: null,
    // Only this service's contract: no ?url= or ?configUrl= from the address bar.
    queryConfigEnabled: false,
    // The search box: filters the operations by tag or path.
    filter: true,
    // Each operation has an address (#/tag/operationId) that can be linked to.
    deepLinking: true,
    // The request console is open on every operation; requests go to the service
    // that serves this page (the contract's server is "/") with the API key given
    // under "Authorize", which lives in this page only and is gone on reload.
    tryItOutEnabled: true,
    persistAuthorization: false,
    displayRequestDuration: true,
    // x-min-role: the least role each operation needs.
    showExtensions: true,
    showCommonExtensions: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0
  });
});
