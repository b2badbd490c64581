// Starts GOV.UK Frontend's components (error summary focus, service navigation menu, …).
// Loaded as a module from a file, so the Content-Security-Policy needs no 'unsafe-inline'.
// "govuk-frontend" is named in the page's import map (layout.html).
import { initAll } from "govuk-frontend";

initAll();
