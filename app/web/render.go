package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"

	viewfiles "github.com/encounters/encounters/views"
)

// views holds one parsed template set per page. Each set is the layouts
// and partials plus the page, which defines "content" (and may define
// "head" or "before_content").
type views struct {
	pages map[string]*template.Template
}

// loadViews parses every template under views/. A file in layouts/ or
// partials/ is shared; any other .html file is a page named by its path
// without ".html".
func loadViews(funcs template.FuncMap) (*views, error) {
	var shared, pages []string
	err := fs.WalkDir(viewfiles.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" {
			return err
		}
		if strings.HasPrefix(p, "layouts/") || strings.HasPrefix(p, "partials/") {
			shared = append(shared, p)
		} else {
			pages = append(pages, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	base, err := template.New("").Funcs(funcs).ParseFS(viewfiles.FS, shared...)
	if err != nil {
		return nil, err
	}
	v := &views{pages: make(map[string]*template.Template, len(pages))}
	for _, p := range pages {
		t, err := template.Must(base.Clone()).ParseFS(viewfiles.FS, p)
		if err != nil {
			return nil, err
		}
		v.pages[strings.TrimSuffix(p, ".html")] = t
	}
	return v, nil
}

// render answers with page inside the layout. data always gains CSRF (the
// token for forms), Actor (nil when anonymous), UserName, Flash, Path and
// RequestID; Title is the page's heading and <title>. The page is rendered
// whole before anything is sent, so a template fault cannot half-send it.
func (s *Server) render(c *fiber.Ctx, status int, page string, data fiber.Map) error {
	t, ok := s.views.pages[page]
	if !ok {
		return fmt.Errorf("render: no page %q", page)
	}
	if data == nil {
		data = fiber.Map{}
	}
	s.addCommonData(c, data)

	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).Send(buf.Bytes())
}

func (s *Server) addCommonData(c *fiber.Ctx, data fiber.Map) {
	common := fiber.Map{
		"CSRF":      c.Locals(localCSRF),
		"Actor":     actor(c),
		"UserName":  c.Locals(localUserName),
		"Flash":     c.Locals(localFlash),
		"Path":      c.Path(),
		"RequestID": requestID(c),
		"Title":     "",
		"Errors":    map[string]string{},
		"ErrorList": []app.FieldError(nil),
		"Form":      map[string]string{},
	}

	for k, v := range common {
		if _, set := data[k]; !set {
			data[k] = v
		}
	}
}
