// Package web is the Encounters front end on Fiber: server-rendered pages,
// the JSON API under /api/v1, embedded assets and the middleware around
// them (recovery, request ids, security headers, compression, server-side
// sessions, CSRF, rate and size limits).
//
// Handlers call the app.Service and nothing below it. Errors from the
// service are *app.Error values; statusFor maps their codes to HTTP status
// in one place, and pages and the API show only their safe messages.
//
// # Contract between the web helpers (W1 core, W2 marketplace)
//
// W1 owns server.go, middleware.go, session.go, errors.go, forms.go,
// render.go, funcs.go, pager.go, assets.go, health.go, the auth, account,
// members, claim, coordinator and home pages, views/layouts, views/partials,
// views/{home,auth,account,coordinator,errors} and public/. W2 owns
// offer_*.go, request_*.go, find_*.go, match_*.go, api_*.go and
// views/{offers,requests,find}*, and replaces market_routes.go (a
// placeholder) with its own registerMarketRoutes(r fiber.Router) and
// registerAPIRoutes(api fiber.Router); routes() calls both, the API group
// being /api/v1.
//
// Helpers for handlers:
//
//   - s.ctx(c) (context.Context, cancel): the request's context with the
//     configured timeout; use it for every service call.
//   - actor(c) *app.Actor: the caller, nil when anonymous; set from the
//     session cookie, or for /api/ paths from "Authorization: Bearer TOKEN"
//     (bearer calls skip CSRF; cookie calls to the API send X-CSRF-Token).
//   - s.requireSignedIn, s.requireCoordinator: route middleware. Every
//     route under /account already has requireSignedIn (its group is
//     registered first), and every route under /coordinator
//     requireCoordinator.
//   - s.render(c, status, page, data): page is a views path without
//     ".html" ("offers/show"); a page file defines "content". data always
//     gains CSRF, Actor, UserName, Flash, Path, RequestID, and defaults
//     for Errors, ErrorList and Form; set "Title" (the <title>, prefixed
//     "Error: " when ErrorList is set).
//   - s.pageError(c, err), s.apiError(c, err), s.fail(c, err) (picks by
//     path): the one status map (statusFor); an unauthorized page request
//     is redirected to /sign-in?next=...; internal faults are logged with
//     the request id, never shown.
//   - formErrors(err) fiber.Map with "Errors" (field to message) and
//     "ErrorList" ([]app.FieldError); s.formFailed(c, page, data, err)
//     re-displays a form with 422 (409 for conflicts) or falls back to
//     pageError; s.showFormErrors(c, status, page, data, err) with any
//     status; onField(field, message) makes an EInvalid error on one field.
//     Put the submitted values in data["Form"] (formValues(c, names...),
//     formQuery(c, names...)).
//   - s.redirectWithFlash(c, to, message): 303 after a successful POST.
//   - newPager(c, page, perPage, total) Pager for the "pagination" partial;
//     pageParam(c) reads ?page=.
//   - safeNext(path): a local path to go back to, else /account.
//
// Views: views.FS embeds "*.html */*.html", so a page lives at most one
// folder deep (views/offers/show.html is page "offers/show").
// Partials (views/partials): "csrf" (hidden _csrf field; pass the page
// data), "error_summary" (pass the page data), "field_error" (dict "Field"
// "email" "Errors" .Errors), "text_input" (dict "Field" "Label" "Value"
// "Errors" and optional "Hint" "Type" "Autocomplete" "Width"),
// "pagination" (a Pager), "flash", "coordinator_orgs", "pledge_contact"
// (an eventCard: who records a pledge).
// Template functions: asset, date ("Tue 3 March 2026, 9:30am" in London),
// day, clock, isoDate, label (list: type, sector, delivery, access,
// keystage), choices, audience, audiences ("Years 9 to 11, Adults"),
// kindLabel, roleLabel, has, plural, km, dict, join, add, orgKinds,
// signUpKinds, passwordMin. CSS classes follow GOV.UK names (govuk-*),
// plus app-filter, app-results, app-result, app-result__facts; the CSP
// allows no inline style or script.
//
// Tests: helpers_test.go holds TestMain (one shared FerretDB) and
// newTestServer(t, opts...) (a fresh database, Bleve in t.TempDir(), the
// shipped gazetteer, a recording mailer ts.Mail with lastLink, a log
// buffer ts.Logs), ts.mustUser/mustOrg/mustSchool to make records
// directly, and ts.client(t): a browser-like client keeping cookies and
// the CSRF token (get, postForm, postJSON, do, signIn, signUp,
// signUpEmployer), with wantStatus, wantContains and wantRedirect.
package web
