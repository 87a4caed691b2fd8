// Package public holds the static assets (CSS, images, the little
// JavaScript there is), embedded in the binary and served under /public/
// with content-hashed names.
package public

import "embed"

// FS is every asset under public/: add a folder to the pattern below
// when you make one.
//
//go:embed css img
var FS embed.FS
