package app

import (
	"context"
	"fmt"
)

// RefundSponsorship refunds a paid card sponsorship through the payment
// provider, in full or in part, for the coordinator. amount is pounds; ""
// refunds all that is left. The refund is recorded at once, and the
// provider's charge.refunded webhook later reports the same cumulative
// total, which agrees with it whichever comes first (see ApplyPayment).
//
// The provider's idempotency key is "refund/ID/N", N being the pence
// refunded before this refund: a retry after a lost answer repeats the same
// refund rather than making a second.
func (s *Service) RefundSponsorship(ctx context.Context, a *Actor, id, amount string) (*Sponsorship, error) {
	if err := requireCoordinator(a); err != nil {
		return nil, err
	}
	if s.Payments == nil {
		return nil, Errorf(EConflict, "Card payment is not set up, so card sponsorships cannot be refunded here.")
	}
	if !ValidID(id) {
		return nil, ErrNotFound("Sponsorship")
	}

	var refundID string
	sp, err := s.editSponsorship(ctx, id, func(sp *Sponsorship) (bool, error) {
		pence, err := checkRefund(sp, amount)
		if err != nil {
			return false, err
		}
		key := fmt.Sprintf("refund/%s/%d", sp.ID, sp.RefundedPence)
		refundID, err = s.Payments.Refund(ctx, sp.PaymentIntentID, pence, key)
		if err != nil {
			return false, err
		}
		sp.RefundedPence += pence
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	s.log().InfoContext(ctx, "sponsorship refunded", "sponsorship_id", sp.ID, "refund_id", refundID,
		"refunded_pence", sp.RefundedPence)

	e, err := s.recountEvent(ctx, sp.EventID)
	if err != nil {
		return nil, err
	}
	if err := s.announceSponsorship(ctx, e, sp); err != nil {
		// The refund stands; the webhook's retry queues the email again.
		s.log().ErrorContext(ctx, "refund email not queued", "sponsorship_id", sp.ID, "error", err)
	}
	return sp, nil
}

// checkRefund returns the pence to refund: a paid card sponsorship may be
// refunded up to what is left of it.
func checkRefund(sp *Sponsorship, amount string) (int64, error) {
	left := sp.AmountPence - sp.RefundedPence
	switch {
	case sp.Method != PayCard:
		return 0, Errorf(EConflict, "Only card payments are refunded through Stripe: withdraw a pledge instead.")
	case sp.State != SponsorPaid:
		return 0, Errorf(EConflict, "This card payment is %s, not paid, so there is nothing to refund.", sp.State)
	case left <= 0:
		return 0, Errorf(EConflict, "This sponsorship has been refunded in full already.")
	case sp.PaymentIntentID == "":
		return 0, Errorf(EConflict, "Stripe has not yet told us this payment's reference. Try again in a few minutes.")
	}

	var p Problems
	pence := checkPounds(&p, "amount", "The refund", amount, false, left, 1, MaxPoundsPence)
	switch {
	case pence > left && sp.RefundedPence > 0:
		p.Add("amount", "You can refund at most %s: %s of %s has been refunded already.",
			FormatPence(left), FormatPence(sp.RefundedPence), FormatPence(sp.AmountPence))
	case pence > left:
		p.Add("amount", "You can refund at most %s, the amount paid.", FormatPence(left))
	}
	return pence, p.Err()
}
