// Starts GOV.UK Frontend and MoJ Frontend components on every page. Loaded as a module, so it only runs in
// browsers that support the design system's JavaScript; the pages work without it.
import { initAll as initGovukFrontend } from "/static/govuk/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "/static/moj/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovukFrontend();
initMojFrontend();
