package stripetest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
)

// Request is one call a client made to the Stripe API.
type Request struct {
	Method string
	Path   string
	// Query is the address's query (a GET's parameters); Form is the
	// body's (a POST's).
	Query          url.Values
	Form           url.Values
	IdempotencyKey string
}

// Recorder is a proxy in front of a Stripe-compatible server that keeps
// every request passing through, so that tests can read what was asked
// of Stripe while the real server answers.
type Recorder struct {
	mu   sync.Mutex
	reqs []Request
}

// Record starts a recording proxy to target (as Start returns it) and
// returns the proxy's URL, stopped when t ends.
func Record(t testing.TB, target string) (string, *Recorder) {
	t.Helper()
	to, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	r := &Recorder{}
	proxy := httputil.NewSingleHostReverseProxy(to)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		form, _ := url.ParseQuery(string(body))
		r.add(Request{Method: req.Method, Path: req.URL.Path, Query: req.URL.Query(), Form: form,
			IdempotencyKey: req.Header.Get("Idempotency-Key")})

		req.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, r
}

func (r *Recorder) add(req Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, req)
}

// Requests returns the requests made so far, oldest first.
func (r *Recorder) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.reqs...)
}

// Last returns the latest request to path, and whether there was one.
func (r *Recorder) Last(path string) (Request, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.reqs) - 1; i >= 0; i-- {
		if r.reqs[i].Path == path {
			return r.reqs[i], true
		}
	}
	return Request{}, false
}
