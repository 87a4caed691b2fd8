package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// allowedMethods returns the methods of the routes whose pattern matches
// path, so that a known address asked with the wrong method answers 405
// with an Allow header instead of 404. Only API routes are checked: pages
// are reached by links and forms.
func (s *Server) allowedMethods(path string) []string {
	var allowed []string
	for _, r := range s.app.GetRoutes(true) {
		if r.Method == fiber.MethodHead || r.Method == fiber.MethodConnect || r.Method == "USE" {
			continue
		}
		if routeMatches(r.Path, path) && !slices.Contains(allowed, r.Method) {
			allowed = append(allowed, r.Method)
		}
	}
	return allowed
}

// routeMatches reports whether a route pattern such as
// "/api/v1/offers/:id" matches path segment by segment.
func routeMatches(pattern, path string) bool {
	want := strings.Split(strings.Trim(pattern, "/"), "/")
	got := strings.Split(strings.Trim(path, "/"), "/")
	if len(want) != len(got) {
		return false
	}
	for i, w := range want {
		if !strings.HasPrefix(w, ":") && w != got[i] {
			return false
		}
	}
	return true
}
