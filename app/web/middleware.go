package web

import (
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
)

// contentSecurityPolicy allows scripts, styles, images and forms from this
// site only, and no framing.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; " +
	"style-src 'self'; script-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// useMiddleware installs, in order, what wraps every request: fault
// recovery, request ids, security headers, compression, assets and health
// (which need no session), then the caller's identity and CSRF checks.
func (s *Server) useMiddleware() {
	s.app.Use(recover.New(recover.Config{
		EnableStackTrace:  true,
		StackTraceHandler: s.logPanic,
	}))
	s.app.Use(dropBadRequestID)
	s.app.Use(requestid.New())
	s.app.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy: contentSecurityPolicy,
		ReferrerPolicy:        "same-origin",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            hstsMaxAge(s.cfg.SecureCookies),
		PermissionPolicy:      "camera=(), microphone=(), geolocation=()",
	}))
	s.app.Use(compress.New())

	s.app.Get("/public/*", s.serveAsset)
	s.app.Get("/healthz", s.showHealth)

	s.app.Use(s.identifyBearer)
	s.app.Use(s.refuseCrossOrigin())
	s.app.Use(s.csrfProtection())
	s.app.Use(s.identifySession)
}

func hstsMaxAge(secure bool) int {
	if secure {
		return 365 * 24 * 60 * 60
	}
	return 0
}

// logPanic logs a recovered panic with its stack; the visitor sees only
// the error page.
func (s *Server) logPanic(c *fiber.Ctx, e any) {
	s.log.Error("panic while serving request",
		slog.String("request_id", requestID(c)),
		slog.String("error", fmt.Sprint(e)),
		slog.String("stack", string(debug.Stack())))
}

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// dropBadRequestID removes an incoming X-Request-ID that is not a short
// plain token, so that a fresh one is generated instead.
func dropBadRequestID(c *fiber.Ctx) error {
	if id := c.Get(fiber.HeaderXRequestID); id != "" && !requestIDPattern.MatchString(id) {
		c.Request().Header.Del(fiber.HeaderXRequestID)
	}
	return c.Next()
}

// requestID returns the id the requestid middleware gave this request.
func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals("requestid").(string)
	return id
}

// isAPI reports whether the request is for the JSON API.
func isAPI(c *fiber.Ctx) bool {
	return strings.HasPrefix(c.Path(), "/api/")
}
