package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/encounters/encounters/app"
)

// Attempts allowed per minute for one address and email at sign-in and
// password reset.
const authAttemptsPerMinute = 10

// registerAuthRoutes registers the pages for signing up, in and out, and
// for resetting a password and accepting an invitation.
func (s *Server) registerAuthRoutes(r fiber.Router) {
	limit := s.authLimiter(false)

	r.Get("/sign-up", s.showSignUp)
	r.Post("/sign-up", s.signUp)
	r.Get("/sign-in", s.showSignIn)
	r.Post("/sign-in", s.authLimiter(true), s.signIn)
	r.Post("/sign-out", s.signOut)

	r.Get("/forgot-password", s.showForgotPassword)
	r.Post("/forgot-password", limit, s.startPasswordReset)
	r.Get("/reset/:secret", s.showResetPassword)
	r.Post("/reset/:secret", limit, s.resetPassword)

	r.Get("/invite/:secret", s.showAcceptInvite)
	r.Post("/invite/:secret", limit, s.acceptInvite)
}

// authLimiter counts attempts per client address, route and email, so
// that guessing one account's password is slow while one busy school
// network can still sign in many people. With onlyFailures, attempts that
// succeed are not counted (signing in); otherwise every one is (asking for
// emails).
func (s *Server) authLimiter(onlyFailures bool) fiber.Handler {
	return limiter.New(limiter.Config{
		Max:                    authAttemptsPerMinute,
		Expiration:             time.Minute,
		Storage:                s.cfg.Limits,
		SkipSuccessfulRequests: onlyFailures,
		KeyGenerator: func(c *fiber.Ctx) string {
			email := strings.ToLower(strings.TrimSpace(c.FormValue("email")))
			return "auth|" + c.Route().Path + "|" + c.IP() + "|" + email
		},
		LimitReached: func(c *fiber.Ctx) error {
			return s.pageError(c, app.Errorf(app.ETooMany,
				"There have been too many attempts. Wait a minute, then try again."))
		},
	})
}

// safeNext returns where to go after signing in: a path on this site, or
// the account page.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/account"
	}
	return next
}

func (s *Server) showSignIn(c *fiber.Ctx) error {
	if actor(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, "auth/sign_in", fiber.Map{
		"Title": "Sign in",
		"Form":  map[string]string{"next": c.Query("next")},
	})
}

// signIn checks the email and password and starts a fresh session. Both
// mistakes get the same answer, shown on the form.
func (s *Server) signIn(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	data := fiber.Map{"Title": "Sign in", "Form": formValues(c, "email", "next")}

	u, err := s.svc.SignIn(ctx, c.FormValue("email"), c.FormValue("password"))
	if app.ErrorCode(err) == app.EUnauthorized {
		return s.showFormErrors(c, fiber.StatusUnauthorized, "auth/sign_in", data,
			onField("email", app.ErrorMessage(err)))
	}
	if err != nil {
		return s.formFailed(c, "auth/sign_in", data, err)
	}

	if err := s.startSession(c, u, ""); err != nil {
		return err
	}
	return c.Redirect(safeNext(c.FormValue("next")), fiber.StatusSeeOther)
}

// onField makes an error that the form shows against one field.
func onField(field, message string) error {
	return &app.Error{Code: app.EInvalid, Message: message,
		Fields: []app.FieldError{{Field: field, Message: message}}}
}

// signOut ends the session.
func (s *Server) signOut(c *fiber.Ctx) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/", "You have signed out.")
}

func (s *Server) showSignUp(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "auth/sign_up", fiber.Map{
		"Title": "Create an account",
		"Form":  map[string]string{"org_kind": c.Query("kind")},
	})
}

// signUp opens an account and signs the new user in. School and college
// staff are told that the coordinator will check their claim.
func (s *Server) signUp(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	form := formValues(c, "name", "email", "org_kind", "org_name", "postcode",
		"school_urn", "job_title")
	data := fiber.Map{"Title": "Create an account", "Form": form}

	in := app.SignUpInput{
		Name: form["name"], Email: form["email"], Password: c.FormValue("password"),
		OrgKind: form["org_kind"], OrgName: form["org_name"], Postcode: form["postcode"],
		SchoolURN: form["school_urn"], JobTitle: form["job_title"],
	}
	u, err := s.svc.SignUp(ctx, in)
	if err != nil {
		return s.formFailed(c, "auth/sign_up", data, err)
	}

	flash := "Your account has been created."
	if u.OrgID == "" {
		flash += " The county coordinator will check your claim on your school; " +
			"we will email you when it is approved."
	}
	if err := s.startSession(c, u, flash); err != nil {
		return err
	}
	return c.Redirect("/account", fiber.StatusSeeOther)
}
