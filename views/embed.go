// Package views holds the server-rendered HTML templates, embedded in the
// binary: layouts/ (the page frame), partials/ (pieces shared by pages) and
// one file per page, at most one folder deep, named by its path without
// ".html" ("home", "account/members", "offers/show").
package views

import "embed"

// FS is every template file under views/.
//
//go:embed *.html */*.html
var FS embed.FS
