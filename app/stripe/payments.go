// Package stripe takes card sponsorships through Stripe Checkout: it
// implements app.Payments with stripe-go, creating hosted checkouts in
// GBP, refunding payments and reading signed webhooks. It depends only on
// the app package and stripe-go; cmd/encounters wires it in when
// STRIPE_SECRET_KEY is set.
package stripe

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/encounters/encounters/app"
)

// requestTimeout bounds one call to Stripe, retries included.
const requestTimeout = 30 * time.Second

// metadataKey names the sponsorship in a checkout's and its payment's
// metadata, so that webhooks about the payment find it.
const metadataKey = "sponsorship_id"

// Payments is app.Payments over the Stripe API. It is safe for concurrent
// use.
type Payments struct {
	api           *client.API
	webhookSecret string
	log           *slog.Logger
}

var _ app.Payments = (*Payments)(nil)

// New returns Payments using the secret API key and the webhook signing
// secret. apiURL, when set, points the client at another Stripe-compatible
// server (stripe-mock in tests); empty means api.stripe.com. Stripe's own
// logging is off: errors are logged here, with ids only.
func New(secretKey, webhookSecret, apiURL string, log *slog.Logger) (*Payments, error) {
	switch {
	case secretKey == "":
		return nil, errors.New("stripe: the secret key is empty")
	case webhookSecret == "":
		return nil, errors.New("stripe: the webhook signing secret is empty")
	}
	if log == nil {
		log = slog.Default()
	}

	config := &stripego.BackendConfig{
		HTTPClient:    &http.Client{Timeout: requestTimeout},
		LeveledLogger: &stripego.LeveledLogger{Level: stripego.LevelNull},
	}
	if apiURL != "" {
		if u, err := url.Parse(apiURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("stripe: the API URL %q is not an http or https address", apiURL)
		}
		config.URL = stripego.String(apiURL)
	}
	backends := &stripego.Backends{
		API:     stripego.GetBackendWithConfig(stripego.APIBackend, config),
		Connect: stripego.GetBackendWithConfig(stripego.ConnectBackend, &stripego.BackendConfig{}),
		Uploads: stripego.GetBackendWithConfig(stripego.UploadsBackend, &stripego.BackendConfig{}),
	}
	return &Payments{api: client.New(secretKey, backends), webhookSecret: webhookSecret, log: log}, nil
}

// providerError turns a failed Stripe call into an app error: refusals a
// person can act on are EConflict with a sentence, wrapping
// app.ErrPaymentRefused; anything else (Stripe not answering, its own
// faults, our key refused) is internal. It logs Stripe's request id and
// error code, never personal data.
func (p *Payments) providerError(op string, err error) error {
	var se *stripego.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("stripe %s: %w", op, err)
	}
	p.log.Warn("stripe refused", "op", op, "status", se.HTTPStatusCode, "code", string(se.Code),
		"type", string(se.Type), "stripe_request_id", se.RequestID)

	msg := refusalMessage(op, se)
	if msg == "" {
		return fmt.Errorf("stripe %s: %w", op, err)
	}
	return &app.Error{Code: app.EConflict, Message: msg, Cause: fmt.Errorf("%w: %w", app.ErrPaymentRefused, err)}
}

// refusalMessage says in plain English why Stripe refused, or "" when the
// failure is not a refusal a person can act on. Any refund Stripe turns
// down as invalid (more than is left after a refund made in Stripe's
// dashboard, a disputed payment) is a refusal.
func refusalMessage(op string, se *stripego.Error) string {
	switch {
	case se.Code == stripego.ErrorCodeChargeAlreadyRefunded:
		return "Stripe says this payment has been refunded in full already."
	case se.Code == stripego.ErrorCodeAmountTooLarge:
		return "Stripe refused: the amount is more than it allows."
	case se.Type == stripego.ErrorTypeIdempotency:
		return "Stripe is still working on the same request. Try again in a minute."
	case op == opRefund && turnedDown(se):
		return "Stripe refused this refund, so nothing was refunded. Check the payment in " +
			"Stripe's dashboard: it may have been refunded or disputed there."
	}
	return ""
}

// turnedDown reports whether Stripe turned a request down as it stands
// (400, 402 or 404), rather than failing, limiting us or refusing our key.
func turnedDown(se *stripego.Error) bool {
	switch se.HTTPStatusCode {
	case http.StatusBadRequest, http.StatusPaymentRequired, http.StatusNotFound:
		return true
	}
	return false
}
