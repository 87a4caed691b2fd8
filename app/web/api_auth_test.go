package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// An API call that carries neither a session cookie nor a bearer token has
// nothing a forged request could borrow, so it is told to authenticate
// (401), while a call riding on a session cookie still needs its CSRF token.
func TestAPIWritesWithoutCredentialsAskForThem(t *testing.T) {
	ts := newTestServer(t)

	anon := ts.client(t)
	res := anon.postJSON("/api/v1/offers", `{"title": "Engineering talk"}`)
	wantStatus(t, res, http.StatusUnauthorized)
	wantContains(t, res, `"code":"unauthorized"`)

	member := ts.client(t)
	member.signUpEmployer("hr@builder.test", "Builder Ltd")
	req := httptest.NewRequest(http.MethodPost, "/api/v1/offers", strings.NewReader(`{"title": "Engineering talk"}`))
	req.Header.Set("Content-Type", "application/json")
	res = member.do(req)
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, res, "This form has expired")
}

// A long keyword reaches the search, which names the field, rather than
// being cut off with an HTML error by the HTTP layer.
func TestAPILongQueryGetsAFieldMessage(t *testing.T) {
	ts := newTestServer(t)
	res := ts.client(t).get("/api/v1/offers?q=" + strings.Repeat("a", 5000))
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, res, `"field":"q"`)
}

// A known API address asked with another method says which methods it
// answers; an unknown one is still 404.
func TestAPIWrongMethodAnswers405(t *testing.T) {
	ts := newTestServer(t)
	cases := []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodDelete, "/api/v1/offers", http.StatusMethodNotAllowed, "GET, POST"},
		{http.MethodPatch, "/api/v1/offers/off_0123456789abcdef0123", http.StatusMethodNotAllowed, "GET, PUT"},
		{http.MethodGet, "/api/v1/offers/off_0123456789abcdef0123/status", http.StatusMethodNotAllowed, "POST"},
		{http.MethodGet, "/api/v1/nothing-here", http.StatusNotFound, ""},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			res := ts.client(t).do(httptest.NewRequest(tc.method, tc.path, nil))
			wantStatus(t, res, tc.status)
			if got := res.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
		})
	}
}
