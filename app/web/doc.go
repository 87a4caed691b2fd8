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
//   - s.requireSignedIn, s.requireCoordinator: route middleware.
//   - s.render(c, status, page, data): page is a views path without
//     ".html" ("offers/show"); a page file defines "content". data always
//     gains CSRF, Actor, UserName, Flash, Path, RequestID; set "Title".
//   - s.pageError(c, err), s.apiError(c, err), s.fail(c, err) (picks by
//     path): the one status map; internal faults are logged, never shown.
//   - formErrors(err) fiber.Map with "Errors" (field to message) and
//     "ErrorList" ([]app.FieldError); s.formFailed(c, page, data, err)
//     re-displays a form with 422 (409 for conflicts) or falls back to
//     pageError. Put the submitted values in data["Form"].
//   - s.redirectWithFlash(c, to, message): 303 after a successful POST.
//   - newPager(c, page, perPage, total) Pager for the "pagination" partial;
//     pageParam(c) reads ?page=.
//
// Partials (views/partials): "csrf" (hidden _csrf field; pass the page
// data), "error_summary" (pass the page data), "field_error" (dict "Field"
// "email" "Errors" .Errors), "pagination" (a Pager), "flash".
// Template functions: asset, date, day, clock, isoDate, label (list:
// type, sector, delivery, access, keystage), choices, audience, audiences,
// kindLabel, roleLabel, has, plural, km, dict, join, add.
//
// Tests: helpers_test.go has newTestServer(t) (real FerretDB, Bleve,
// gazetteer, a recording mailer), and a browser-like client with cookies
// and CSRF tokens: signUp, signIn, get, postForm, postJSON.
package web
