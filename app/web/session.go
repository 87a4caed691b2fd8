package web

import (
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/gofiber/fiber/v2/middleware/session"

	"github.com/encounters/encounters/app"
)

// Session keys. Values are plain strings so that any storage can hold them.
// sessionSignedIn is when the user signed in, in RFC 3339 with nanoseconds:
// a session begun before the user's password was last reset has ended.
const (
	sessionUserID   = "user_id"
	sessionUserName = "user_name"
	sessionSignedIn = "signed_in_at"
	sessionFlash    = "flash"
)

// Locals keys set by the identity middleware.
const (
	localActor    = "actor"
	localUserName = "user_name"
	localFlash    = "flash"
	localBearer   = "bearer"
	localCSRF     = "csrf"
	localCSRFKeep = "csrf_handler"
)

// sessionLifetime is how long a session lasts without a visit.
const sessionLifetime = 7 * 24 * time.Hour

// cookieNames returns the session and CSRF cookie names. The __Host- prefix
// makes browsers insist on Secure, Path=/ and no Domain, so it is used only
// when cookies are secure.
func cookieNames(secure bool) (sessionName, csrfName string) {
	if secure {
		return "__Host-encounters", "__Host-encounters_csrf"
	}
	return "encounters_session", "encounters_csrf"
}

func newSessionStore(storage fiber.Storage, secure bool) *session.Store {
	name, _ := cookieNames(secure)
	return session.New(session.Config{
		Storage:        storage,
		Expiration:     sessionLifetime,
		KeyLookup:      "cookie:" + name,
		CookiePath:     "/",
		CookieSecure:   secure,
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
	})
}

// csrfProtection checks a token on every unsafe request that comes with a
// session cookie. The token lives in the session; forms send it in the
// hidden field _csrf, scripts in the X-CSRF-Token header. Requests signed
// with an API bearer token carry no cookies and skip the check.
func (s *Server) csrfProtection() fiber.Handler {
	sessionName, name := cookieNames(s.cfg.SecureCookies)
	return csrf.New(csrf.Config{
		Next:              func(c *fiber.Ctx) bool { return csrfExempt(c, sessionName) },
		CookieName:        name,
		CookiePath:        "/",
		CookieSecure:      s.cfg.SecureCookies,
		CookieHTTPOnly:    true,
		CookieSameSite:    "Lax",
		Expiration:        sessionLifetime,
		Session:           s.sessions,
		ContextKey:        localCSRF,
		HandlerContextKey: localCSRFKeep,
		Extractor:         csrfFromHeaderOrForm,
		ErrorHandler:      s.rejectCSRF,
	})
}

// csrfExempt reports whether a request needs no CSRF check. A bearer call
// carries its own credential, and an API call with no session cookie
// carries none a forged request could borrow: the handler answers it 401
// if it needs a caller. The Stripe webhook is signed instead (see
// isStripeWebhook), and a one-click unsubscribe carries its secret in the
// address.
func csrfExempt(c *fiber.Ctx, sessionName string) bool {
	return c.Locals(localBearer) == true || (isAPI(c) && c.Cookies(sessionName) == "") ||
		isStripeWebhook(c) || isOneClickUnsubscribe(c)
}

// refuseCrossOrigin refuses a form or script write that the browser says
// comes from another site (its Origin header names another host, or its
// Sec-Fetch-Site says cross-site), before the token is even read.
// Browsers that send neither rely on the token alone.
func (s *Server) refuseCrossOrigin() fiber.Handler {
	sessionName, _ := cookieNames(s.cfg.SecureCookies)
	var publicHost string // the host of BaseURL, when a proxy rewrites Host
	if u, err := url.Parse(s.cfg.BaseURL); err == nil {
		publicHost = u.Host
	}
	return func(c *fiber.Ctx) error {
		origin := c.Get(fiber.HeaderOrigin)
		if isSafeMethod(c.Method()) || csrfExempt(c, sessionName) {
			return c.Next()
		}
		if c.Get("Sec-Fetch-Site") == "cross-site" {
			return s.rejectCSRF(c, errors.New("browser says the request is cross-site"))
		}
		if origin == "" {
			return c.Next()
		}
		u, err := url.Parse(origin)
		if err == nil && u.Host != "" &&
			(strings.EqualFold(u.Host, c.Hostname()) || strings.EqualFold(u.Host, publicHost)) {
			return c.Next()
		}
		return s.rejectCSRF(c, errors.New("origin is another site"))
	}
}

func isSafeMethod(method string) bool {
	switch method {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
		return true
	}
	return false
}

func csrfFromHeaderOrForm(c *fiber.Ctx) (string, error) {
	if token := c.Get(csrf.HeaderName); token != "" {
		return token, nil
	}
	if token := c.FormValue("_csrf"); token != "" {
		return token, nil
	}
	return "", csrf.ErrTokenNotFound
}

func (s *Server) rejectCSRF(c *fiber.Ctx, err error) error {
	s.log.Info("csrf check failed", slog.String("request_id", requestID(c)),
		slog.String("error", err.Error()))
	return s.fail(c, app.Errorf(app.EForbidden,
		"This form has expired or came from another site. Go back, reload the page and try again."))
}

// identifyBearer signs in API requests that carry "Authorization: Bearer
// TOKEN". A bad token is refused at once; pages ignore the header.
func (s *Server) identifyBearer(c *fiber.Ctx) error {
	auth := c.Get(fiber.HeaderAuthorization)
	if auth == "" || !isAPI(c) {
		return c.Next()
	}
	secret, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || strings.TrimSpace(secret) == "" {
		return s.apiError(c, app.Errorf(app.EUnauthorized,
			"The Authorization header must be \"Bearer\" followed by an API token."))
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	user, err := s.svc.UserForAPIToken(ctx, strings.TrimSpace(secret))
	if err != nil {
		return s.apiError(c, err)
	}
	actor, err := s.svc.ActorFor(ctx, user.ID)
	if err != nil {
		return s.apiError(c, err)
	}
	c.Locals(localActor, actor)
	c.Locals(localBearer, true)
	return c.Next()
}

// identifySession loads the signed-in user and any flash message from the
// server-side session. A session whose user has gone, or that began before
// the user's password was last reset, is signed out.
func (s *Server) identifySession(c *fiber.Ctx) error {
	if c.Locals(localBearer) == true || isStripeWebhook(c) {
		return c.Next()
	}
	sess, err := s.sessions.Get(c)
	if err != nil {
		return err
	}
	userID, _ := sess.Get(sessionUserID).(string)
	flash, _ := sess.Get(sessionFlash).(string)
	name, _ := sess.Get(sessionUserName).(string)
	signedIn, _ := sess.Get(sessionSignedIn).(string)

	if userID != "" {
		if err := s.loadActor(c, userID, name, signedInTime(signedIn)); err != nil {
			return err
		}
	}
	userGone := userID != "" && actor(c) == nil
	if flash != "" || userGone {
		c.Locals(localFlash, flash)
		if err := s.clearSessionKeys(sess, userGone); err != nil {
			return err
		}
	}
	return c.Next()
}

// signedInTime reads the sign-in time kept in a session. A session from
// before the time was kept reads as the zero time, which ends it only if
// the user's password has been reset since.
func signedInTime(value string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		return time.Time{}
	}
	return t
}

// loadActor finds who the session's user acts as. A user that has gone,
// or a session that has ended, leaves the visitor anonymous.
func (s *Server) loadActor(c *fiber.Ctx, userID, name string, signedIn time.Time) error {
	ctx, cancel := s.ctx(c)
	defer cancel()

	actor, err := s.svc.ActorForSession(ctx, userID, signedIn)
	switch app.ErrorCode(err) {
	case "":
		c.Locals(localActor, actor)
		c.Locals(localUserName, name)
		return nil
	case app.ENotFound, app.EUnauthorized:
		return nil
	}
	return err
}

// clearSessionKeys forgets the flash message, which has now been shown,
// and with signOut the user too.
func (s *Server) clearSessionKeys(sess *session.Session, signOut bool) error {
	sess.Delete(sessionFlash)
	if signOut {
		sess.Delete(sessionUserID)
		sess.Delete(sessionUserName)
		sess.Delete(sessionSignedIn)
	}
	return sess.Save()
}

// actor returns who is calling, nil for an anonymous visitor.
func actor(c *fiber.Ctx) *app.Actor {
	a, _ := c.Locals(localActor).(*app.Actor)
	return a
}

// setFlash keeps a one-line message for the next page the visitor sees.
func (s *Server) setFlash(c *fiber.Ctx, message string) error {
	sess, err := s.sessions.Get(c)
	if err != nil {
		return err
	}
	sess.Set(sessionFlash, message)
	return sess.Save()
}

// redirectWithFlash ends a successful POST: it keeps message for the next
// page and sends the browser there with 303 See Other.
func (s *Server) redirectWithFlash(c *fiber.Ctx, to, message string) error {
	if err := s.setFlash(c, message); err != nil {
		return err
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// startSession signs the user in: a new session id and form token (so
// that neither, known before sign-in, is worth anything), their id and name, the time, and a flash
// message.
func (s *Server) startSession(c *fiber.Ctx, u *app.User, flash string) error {
	// The form token known before sign-in goes too; the next page gets a
	// new one.
	if h, ok := c.Locals(localCSRFKeep).(*csrf.CSRFHandler); ok {
		if err := h.DeleteToken(c); err != nil {
			return err
		}
	}
	sess, err := s.sessions.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Regenerate(); err != nil {
		return err
	}

	sess.Set(sessionUserID, u.ID)
	sess.Set(sessionUserName, u.Name)
	sess.Set(sessionSignedIn, s.now().UTC().Format(time.RFC3339Nano))
	if flash != "" {
		sess.Set(sessionFlash, flash)
	}
	return sess.Save()
}

// now is the service's clock, which tests may fix.
func (s *Server) now() time.Time {
	if s.svc.Now != nil {
		return s.svc.Now()
	}
	return time.Now()
}

// endSession signs the visitor out and forgets the session entirely.
func (s *Server) endSession(c *fiber.Ctx) error {
	sess, err := s.sessions.Get(c)
	if err != nil {
		return err
	}
	return sess.Destroy()
}

// requireSignedIn sends anonymous visitors to the sign-in page, which
// brings them back afterwards. API callers get 401 instead.
func (s *Server) requireSignedIn(c *fiber.Ctx) error {
	if actor(c) == nil {
		return s.fail(c, app.Errorf(app.EUnauthorized, "Sign in to continue."))
	}
	return c.Next()
}

// requireCoordinator lets only the county coordinator's members through;
// everyone else is told so.
func (s *Server) requireCoordinator(c *fiber.Ctx) error {
	a := actor(c)
	if a == nil {
		return s.fail(c, app.Errorf(app.EUnauthorized, "Sign in to continue."))
	}

	if !a.IsCoordinator() {
		return s.fail(c, app.Errorf(app.EForbidden,
			"Only the county coordinator's team can use this page."))
	}
	return c.Next()
}
