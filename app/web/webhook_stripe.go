package web

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// stripeWebhookPath is where Stripe posts its notices. Requests to exactly
// this path skip sessions and CSRF checks: they carry no cookies, and
// their signature is their credential.
const stripeWebhookPath = "/webhooks/stripe"

// webhookBodyLimit is the largest notice accepted. Stripe's events are a
// few kilobytes; the server-wide limit is far larger.
const webhookBodyLimit = 256 << 10

// isStripeWebhook reports whether the request is a notice to the Stripe
// webhook, which the session and CSRF middleware let through untouched.
func isStripeWebhook(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && c.Path() == stripeWebhookPath
}

// receiveStripeWebhook answers POST /webhooks/stripe. The raw body, byte
// for byte as sent (never decoded or decompressed), and its
// Stripe-Signature header go to the service, which checks the signature
// and applies the event once. A bad signature, stale or future timestamp
// or altered body is 400; an event applied (or already applied) is 200; a
// fault on our side is 500, so that Stripe tries again later. A server
// without card payments answers 503 and applies nothing. The answer is
// plain text, and the body is never logged.
func (s *Server) receiveStripeWebhook(c *fiber.Ctx) error {
	body := c.Request().Body()
	if len(body) > webhookBodyLimit {
		return c.Status(fiber.StatusRequestEntityTooLarge).SendString("Notice too large.")
	}
	if !s.svc.CardPayments() {
		return c.Status(fiber.StatusServiceUnavailable).SendString("Card payments are not set up here.")
	}

	ctx, cancel := s.ctx(c)
	defer cancel()
	err := s.svc.HandlePaymentWebhook(ctx, body, c.Get("Stripe-Signature"))
	if err == nil {
		return c.Status(fiber.StatusOK).SendString("OK")
	}

	code := app.ErrorCode(err)
	if code == app.EInternal {
		s.log.Error("stripe webhook failed", slog.String("request_id", requestID(c)),
			slog.String("error", err.Error()))
		return c.Status(fiber.StatusInternalServerError).SendString("Not applied; try again later.")
	}
	s.log.Info("stripe webhook refused", slog.String("request_id", requestID(c)),
		slog.String("code", code))
	if code == app.EInvalid {
		return c.Status(fiber.StatusBadRequest).
			SendString("Refused: the signature, timestamp or body is not valid.")
	}
	return c.Status(statusFor(code, c.Method())).SendString("Not applied.")
}
