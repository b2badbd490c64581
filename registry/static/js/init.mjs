// Starts GOV.UK Frontend's components (error summary focus, service navigation menu, …).
// Loaded as a module from a file, so the Content-Security-Policy needs no 'unsafe-inline'.
import { initAll } from "/static/dist/govuk-frontend.min.js";

initAll();
