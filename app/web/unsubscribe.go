package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// isOneClickUnsubscribe reports whether c is a one-click unsubscribe
// (RFC 8058): a POST to /unsubscribe/USER/SECRET/CATEGORY, which mail
// clients send without cookies or a CSRF token. The secret in the address
// is its credential, so the CSRF check skips exactly these requests.
func isOneClickUnsubscribe(c *fiber.Ctx) bool {
	if c.Method() != fiber.MethodPost {
		return false
	}
	rest, ok := strings.CutPrefix(c.Path(), "/unsubscribe/")
	return ok && strings.Count(rest, "/") == 2
}

// unsubscribeData is what the unsubscribe pages show, or ENotFound for a
// category that does not exist.
func unsubscribeData(c *fiber.Ctx) (fiber.Map, error) {
	category := c.Params("category")
	words, ok := mailCategoryWords[category]
	if !ok || !app.ValidID(c.Params("user")) {
		return nil, app.ErrNotFound("The page")
	}
	return fiber.Map{"Title": "Stop getting " + strings.ToLower(words[0]),
		"Category": strings.ToLower(words[0]), "Action": c.Path()}, nil
}

// showUnsubscribe answers GET /unsubscribe/:user/:secret/:category with a
// button that confirms. A GET never changes anything, so that link
// scanners cannot unsubscribe anyone.
func (s *Server) showUnsubscribe(c *fiber.Ctx) error {
	data, err := unsubscribeData(c)
	if err == nil {
		ctx, cancel := s.ctx(c)
		defer cancel()
		err = s.svc.CheckUnsubscribe(ctx, c.Params("user"), c.Params("secret"), c.Params("category"))
	}
	if app.ErrorCode(err) == app.ENotFound || app.ErrorCode(err) == app.EInvalid {
		return s.render(c, fiber.StatusNotFound, "account/unsubscribe",
			fiber.Map{"Title": "This link does not work", "Broken": true})
	}
	if err != nil {
		return s.pageError(c, err)
	}
	return s.render(c, fiber.StatusOK, "account/unsubscribe", data)
}

// unsubscribe answers POST /unsubscribe/:user/:secret/:category, from
// the confirm button or a mail client's one-click request: the person
// stops getting that category of email. A wrong secret answers 404.
func (s *Server) unsubscribe(c *fiber.Ctx) error {
	data, err := unsubscribeData(c)
	if err != nil {
		return s.pageError(c, err)
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	err = s.svc.Unsubscribe(ctx, c.Params("user"), c.Params("secret"), c.Params("category"))
	if err != nil {
		return s.pageError(c, err)
	}
	data["Done"] = true
	return s.render(c, fiber.StatusOK, "account/unsubscribe", data)
}
