package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

func (s *Server) showForgotPassword(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "auth/forgot_password", fiber.Map{
		"Title": "Reset your password",
	})
}

// startPasswordReset mails a reset link. The answer is the same whether or
// not the email has an account.
func (s *Server) startPasswordReset(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	data := fiber.Map{"Title": "Reset your password", "Form": formValues(c, "email")}

	if err := s.svc.StartPasswordReset(ctx, c.FormValue("email")); err != nil {
		return s.formFailed(c, "auth/forgot_password", data, err)
	}
	return s.redirectWithFlash(c, "/sign-in", "If an account uses that email address, "+
		"we have sent it a link to choose a new password. The link works for one hour.")
}

// showResetPassword shows the form for a new password, or says that the
// link has expired or been used.
func (s *Server) showResetPassword(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	if err := s.svc.CheckResetLink(ctx, c.Params("secret")); err != nil {
		return s.linkFailed(c, err, false)
	}

	return s.render(c, fiber.StatusOK, "auth/reset_password", fiber.Map{
		"Title":  "Choose a new password",
		"Action": "/reset/" + c.Params("secret"),
	})
}

// resetPassword sets the new password through the emailed link.
func (s *Server) resetPassword(c *fiber.Ctx) error {
	ctx, cancel := s.ctx(c)
	defer cancel()
	data := fiber.Map{"Title": "Choose a new password", "Action": "/reset/" + c.Params("secret")}

	err := s.svc.ResetPassword(ctx, c.Params("secret"), c.FormValue("password"))
	if errors.Is(err, app.ErrLinkExpired) {
		return s.linkFailed(c, err, false)
	}
	if err != nil {
		return s.formFailed(c, "auth/reset_password", data, err)
	}
	return s.redirectWithFlash(c, "/sign-in",
		"Your password has been changed, and you have been signed out everywhere. "+
			"Sign in with your new password.")
}

// linkFailed answers a password reset or invitation link that cannot be
// used: a page saying it has expired or been used, and how to get a new
// one (410 Gone). Other errors get the usual error page.
func (s *Server) linkFailed(c *fiber.Ctx, err error, invite bool) error {
	if !errors.Is(err, app.ErrLinkExpired) {
		return s.pageError(c, err)
	}
	s.logError(c, err)
	return s.render(c, fiber.StatusGone, "auth/link_expired", fiber.Map{
		"Title":  "This link has expired or has already been used",
		"Invite": invite,
	})
}
