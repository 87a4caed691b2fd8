package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// statusFor is the one map from error codes to HTTP status. Bad input is
// 422 when a form or JSON body was sent, 400 when it came in the query.
func statusFor(code, method string) int {
	switch code {
	case app.EInvalid:
		if method == fiber.MethodGet || method == fiber.MethodHead {
			return fiber.StatusBadRequest
		}
		return fiber.StatusUnprocessableEntity
	case app.ENotFound:
		return fiber.StatusNotFound
	case app.EConflict:
		return fiber.StatusConflict
	case app.EForbidden:
		return fiber.StatusForbidden
	case app.EUnauthorized:
		return fiber.StatusUnauthorized
	case app.ETooMany:
		return fiber.StatusTooManyRequests
	}
	return fiber.StatusInternalServerError
}

// fail answers err as JSON for the API and as a page for everything else.
func (s *Server) fail(c *fiber.Ctx, err error) error {
	if isAPI(c) {
		return s.apiError(c, err)
	}
	return s.pageError(c, err)
}

// describe turns err into what the visitor is told: a status, a code and
// a message safe to show.
func describe(c *fiber.Ctx, err error) (status int, code, message string) {
	var he *httpError
	if errors.As(err, &he) {
		return he.status, he.code, he.message
	}
	code = app.ErrorCode(err)
	if code == app.EInternal && errors.Is(err, context.DeadlineExceeded) {
		// The engines were too busy to answer in time: worth a retry, and
		// still logged in full as a fault.
		return fiber.StatusServiceUnavailable, code, "The service is busy just now. Please try again in a moment."
	}
	return statusFor(code, c.Method()), code, app.ErrorMessage(err)
}

// httpError is a refusal that Fiber itself makes before any handler runs,
// such as a body over the size limit.
type httpError struct {
	status  int
	code    string
	message string
}

// Error names the refusal, for logs.
func (e *httpError) Error() string { return e.code + ": " + e.message }

// pageError answers a page request that failed. A visitor who must sign in
// is sent to the sign-in page; every other error gets a page with a status
// from statusFor and the error's safe message. Internal faults are logged
// with the request id and shown only as that id.
func (s *Server) pageError(c *fiber.Ctx, err error) error {
	s.logError(c, err)
	status, code, message := describe(c, err)
	if code == app.EUnauthorized && c.Path() != "/sign-in" {
		return c.Redirect(signInURL(c), fiber.StatusSeeOther)
	}

	page := "errors/error"
	if code == app.ENotFound {
		page = "errors/not_found"
	}
	return s.render(c, status, page, fiber.Map{
		"Title":    titleForStatus(status),
		"Message":  message,
		"Internal": code == app.EInternal,
	})
}

// apiError answers an API request that failed with
// {"error": {"code", "message", "fields": [{"field", "message"}]}}.
func (s *Server) apiError(c *fiber.Ctx, err error) error {
	s.logError(c, err)
	status, code, message := describe(c, err)
	body := apiErrorBody{Code: code, Message: message, Fields: app.FieldErrors(err)}
	if code == app.EInternal {
		body.RequestID = requestID(c)
	}
	return c.Status(status).JSON(fiber.Map{"error": body})
}

type apiErrorBody struct {
	Code      string           `json:"code"`
	Message   string           `json:"message"`
	Fields    []app.FieldError `json:"fields,omitempty"`
	RequestID string           `json:"request_id,omitempty"`
}

// logError logs internal faults in full and other errors briefly. The
// message of an *app.Error may name what the visitor typed, so only codes
// and ids are logged for those.
func (s *Server) logError(c *fiber.Ctx, err error) {
	_, code, _ := describe(c, err)
	if code == app.EInternal {
		s.log.Error("request failed", slog.String("request_id", requestID(c)),
			slog.String("method", c.Method()), slog.String("route", c.Route().Path),
			slog.String("error", err.Error()))
		return
	}
	s.log.Debug("request refused", slog.String("request_id", requestID(c)),
		slog.String("code", code), slog.String("route", c.Route().Path))
}

// signInURL is the sign-in page with a way back to the page asked for.
func signInURL(c *fiber.Ctx) string {
	if c.Method() != fiber.MethodGet || c.Path() == "/" {
		return "/sign-in"
	}
	return "/sign-in?next=" + url.QueryEscape(c.OriginalURL())
}

// titleForStatus is the heading of an error page: words a visitor
// understands rather than the status's name.
func titleForStatus(status int) string {
	switch status {
	case fiber.StatusBadRequest, fiber.StatusUnprocessableEntity:
		return "There is a problem"
	case fiber.StatusConflict:
		return "That cannot be done now"
	case fiber.StatusNotFound:
		return "Page not found"
	case fiber.StatusInternalServerError:
		return "Sorry, there is a problem with the service"
	case fiber.StatusForbidden:
		return "You cannot do that"
	case fiber.StatusTooManyRequests:
		return "Too many attempts"
	case fiber.StatusRequestEntityTooLarge:
		return "What you sent is too large"
	}
	return http.StatusText(status)
}

// handleError is Fiber's last resort: errors that handlers return instead
// of answering, Fiber's own (unknown method, body too large) and panics.
// It never shows err.Error().
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		err = fromFiberError(fe, s.cfg.BodyLimit)
	}

	if rerr := s.fail(c, err); rerr != nil {
		s.log.Error("error page failed", slog.String("request_id", requestID(c)),
			slog.String("error", rerr.Error()))
		return c.Status(fiber.StatusInternalServerError).
			SendString("Sorry, there is a problem with the service. Request " + requestID(c))
	}
	return nil
}

// fromFiberError turns Fiber's own errors into errors with messages of
// ours; Fiber's texts are never shown.
func fromFiberError(fe *fiber.Error, bodyLimit int) error {
	switch fe.Code {
	case fiber.StatusNotFound:
		return app.ErrNotFound("The page")
	case fiber.StatusRequestEntityTooLarge:
		return &httpError{fe.Code, "too_large", fmt.Sprintf(
			"What you sent is larger than %d KB, the most this service accepts.", bodyLimit/1024)}
	case fiber.StatusRequestHeaderFieldsTooLarge:
		return &httpError{fe.Code, "too_large", "The request headers are too large."}
	case fiber.StatusRequestTimeout:
		return &httpError{fe.Code, "timeout", "The request took too long to arrive. Try again."}
	case fiber.StatusTooManyRequests:
		return app.Errorf(app.ETooMany, "Too many attempts. Wait a minute and try again.")
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return &httpError{fe.Code, app.EInvalid, "That request could not be understood."}
	}
	return &app.Error{Code: app.EInternal, Message: "fiber error", Cause: fe}
}

// showNotFound answers every path no route matched.
func (s *Server) showNotFound(c *fiber.Ctx) error {
	if isAPI(c) {
		if allowed := s.allowedMethods(c.Path()); len(allowed) > 0 {
			c.Set(fiber.HeaderAllow, strings.Join(allowed, ", "))
			return c.Status(fiber.StatusMethodNotAllowed).JSON(fiber.Map{"error": apiErrorBody{
				Code:    app.EInvalid,
				Message: "This address answers " + strings.Join(allowed, ", ") + " only.",
			}})
		}
	}
	return s.fail(c, app.ErrNotFound("The page"))
}
