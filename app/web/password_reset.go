package web

import (
	"github.com/gofiber/fiber/v2"
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

func (s *Server) showResetPassword(c *fiber.Ctx) error {
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

	if err := s.svc.ResetPassword(ctx, c.Params("secret"), c.FormValue("password")); err != nil {
		return s.formFailed(c, "auth/reset_password", data, err)
	}
	return s.redirectWithFlash(c, "/sign-in",
		"Your password has been changed. Sign in with your new password.")
}
