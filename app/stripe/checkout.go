package stripe

import (
	"context"
	"errors"

	stripego "github.com/stripe/stripe-go/v76"

	"github.com/encounters/encounters/app"
)

// CreateCheckout starts a hosted Stripe Checkout for one sponsorship: a
// payment in GBP of one line for the amount in pence, naming the
// sponsorship as client reference and in the metadata of the checkout and
// of its payment (which Stripe copies to the charge, so that refund
// webhooks find it too). The sponsorship id is the idempotency key: asking
// twice returns the same checkout.
func (p *Payments) CreateCheckout(ctx context.Context, c app.Checkout) (string, string, error) {
	meta := map[string]string{metadataKey: c.SponsorshipID}
	params := &stripego.CheckoutSessionParams{
		Params: stripego.Params{Context: ctx, IdempotencyKey: stripego.String(c.SponsorshipID)},
		Mode:   stripego.String(string(stripego.CheckoutSessionModePayment)),
		LineItems: []*stripego.CheckoutSessionLineItemParams{{
			PriceData: &stripego.CheckoutSessionLineItemPriceDataParams{
				Currency:   stripego.String(string(stripego.CurrencyGBP)),
				UnitAmount: stripego.Int64(c.AmountPence),
				ProductData: &stripego.CheckoutSessionLineItemPriceDataProductDataParams{
					Name: stripego.String("Sponsorship: " + c.EventTitle),
				},
			},
			Quantity: stripego.Int64(1),
		}},
		ClientReferenceID: stripego.String(c.SponsorshipID),
		Metadata:          meta,
		PaymentIntentData: &stripego.CheckoutSessionPaymentIntentDataParams{Metadata: meta},
		SuccessURL:        stripego.String(c.SuccessURL),
		CancelURL:         stripego.String(c.CancelURL),
	}
	if c.Email != "" {
		params.CustomerEmail = stripego.String(c.Email)
	}

	s, err := p.api.CheckoutSessions.New(params)
	if err != nil {
		return "", "", p.providerError("create checkout", err)
	}
	if s.ID == "" || s.URL == "" {
		return "", "", errors.New("stripe create checkout: no id or address in the answer")
	}
	p.log.InfoContext(ctx, "stripe checkout created", "sponsorship_id", c.SponsorshipID, "checkout_session_id", s.ID)
	return s.ID, s.URL, nil
}

// opRefund names a refund in logs and errors.
const opRefund = "refund"

// Refund refunds amountPence of a payment under the idempotency key, and
// returns the refund's id.
func (p *Payments) Refund(ctx context.Context, paymentIntentID string, amountPence int64, key string) (string, error) {
	params := &stripego.RefundParams{
		Params:        stripego.Params{Context: ctx, IdempotencyKey: stripego.String(key)},
		PaymentIntent: stripego.String(paymentIntentID),
		Amount:        stripego.Int64(amountPence),
		Reason:        stripego.String(string(stripego.RefundReasonRequestedByCustomer)),
	}

	r, err := p.api.Refunds.New(params)
	if err != nil {
		return "", p.providerError(opRefund, err)
	}
	p.log.InfoContext(ctx, "stripe refund created", "refund_id", r.ID, "payment_intent_id", paymentIntentID)
	return r.ID, nil
}

// PaymentFee returns the fee Stripe kept from a payment: the fee of the
// balance transaction of the payment's latest charge, read in one call by
// retrieving the PaymentIntent with latest_charge.balance_transaction
// expanded. known is false while there is no charge or balance
// transaction yet. The fee is in the currency of the Stripe balance,
// which for a UK account is GBP; another currency is logged.
func (p *Payments) PaymentFee(ctx context.Context, paymentIntentID string) (int64, bool, error) {
	params := &stripego.PaymentIntentParams{Params: stripego.Params{Context: ctx}}
	params.AddExpand("latest_charge.balance_transaction")

	pi, err := p.api.PaymentIntents.Get(paymentIntentID, params)
	if err != nil {
		return 0, false, p.providerError("payment fee", err)
	}
	if pi.LatestCharge == nil || pi.LatestCharge.BalanceTransaction == nil ||
		pi.LatestCharge.BalanceTransaction.Object == "" {
		return 0, false, nil
	}
	bt := pi.LatestCharge.BalanceTransaction
	if !ours(bt.Currency) {
		p.log.WarnContext(ctx, "stripe fee in another currency than GBP", "payment_intent_id", paymentIntentID,
			"currency", string(bt.Currency))
	}
	return bt.Fee, true, nil
}
