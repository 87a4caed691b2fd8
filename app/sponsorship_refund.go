package app

import (
	"context"
	"fmt"
	"time"
)

// RefundKeyMax is the longest refund form key taken.
const RefundKeyMax = 100

// forgetTimeout bounds forgetting a failed refund's form key.
const forgetTimeout = 10 * time.Second

// RefundInput is the coordinator's refund of one card sponsorship.
type RefundInput struct {
	// EventID, when set, is the event the sponsorship must belong to: a
	// sponsorship of any other event is ENotFound.
	EventID string
	// Amount is pounds as typed; "" refunds all that is left.
	Amount string
	// Key is the idempotency key made when the refund form was drawn. A
	// second submission with the same key refunds nothing more and
	// answers the sponsorship as it stands. "" means no form key.
	Key string
}

// refundDone is what one call of RefundSponsorship did.
type refundDone struct {
	pence    int64
	refundID string
	// claim is the record of the form key, kept once the refund is made
	// and forgotten when it fails.
	claim string
	// repeat is set when the form key was used already.
	repeat bool
}

// RefundSponsorship refunds a paid card sponsorship through the payment
// provider, in full or in part, for the coordinator. The refund is
// recorded at once, and the provider's charge.refunded webhook later
// reports the same cumulative total, which agrees with it whichever comes
// first (see ApplyPayment).
//
// A form key is applied once: it is recorded under a unique id before the
// provider is asked, so a double click or a resubmitted form, even in
// parallel, makes one refund. The provider's idempotency key is
// "refund/ID/KEY", or without a form key "refund/ID/N", N being the pence
// refunded before this refund: a retry after a lost answer repeats the
// same refund rather than making a second.
//
// When Stripe refuses, the error is EConflict wrapping ErrPaymentRefused;
// when it cannot be reached, EInternal wrapping ErrCardsUnavailable with
// RefundUnavailableMessage. Either way nothing is recorded.
func (s *Service) RefundSponsorship(ctx context.Context, a *Actor, id string, in RefundInput) (*Sponsorship, error) {
	if err := requireCoordinator(a); err != nil {
		return nil, err
	}
	if s.Payments == nil {
		return nil, Errorf(EConflict, "Card payment is not set up, so card sponsorships cannot be refunded here.")
	}
	if !ValidID(id) || (in.EventID != "" && !ValidID(in.EventID)) {
		return nil, ErrNotFound("Sponsorship")
	}
	if err := checkRefundKey(in.Key); err != nil {
		return nil, err
	}

	var done refundDone
	sp, err := s.editSponsorship(ctx, id, func(sp *Sponsorship) (bool, error) {
		return s.refundOnce(ctx, sp, in, &done)
	})
	if err != nil {
		s.forgetRefundKey(ctx, id, done.claim)
		return nil, err
	}
	if done.repeat {
		s.log().InfoContext(ctx, "refund form sent again", "sponsorship_id", sp.ID)
		return sp, nil
	}
	s.log().InfoContext(ctx, "sponsorship refunded", "sponsorship_id", sp.ID, "refund_id", done.refundID,
		"refunded_pence", sp.RefundedPence)

	e, err := s.recountEvent(ctx, sp.EventID)
	if err != nil {
		return nil, err
	}
	if err := s.announceSponsorship(ctx, e, sp, done.pence); err != nil {
		// The refund stands; the webhook's retry queues the email again.
		s.log().ErrorContext(ctx, "refund email not queued", "sponsorship_id", sp.ID, "error", err)
	}
	return sp, nil
}

// refundOnce refunds sp under this process's lock on it, unless the form
// key was used already, and reports whether sp changed.
func (s *Service) refundOnce(ctx context.Context, sp *Sponsorship, in RefundInput, done *refundDone) (bool, error) {
	if in.EventID != "" && sp.EventID != in.EventID {
		return false, ErrNotFound("Sponsorship")
	}
	if err := s.refuseDemoMoney(ctx, sp.EventID); err != nil {
		return false, err
	}
	key := fmt.Sprintf("refund/%s/%d", sp.ID, sp.RefundedPence)
	if in.Key != "" {
		key = "refund/" + sp.ID + "/" + in.Key
		err := s.Store.RecordPaymentEvent(ctx, key, sp.ID, s.now().UTC())
		if ErrorCode(err) == EConflict {
			done.repeat = true
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("record refund key: %w", err)
		}
		done.claim = key
	}

	pence, err := checkRefund(sp, in.Amount)
	if err != nil {
		return false, err
	}
	done.refundID, err = s.Payments.Refund(ctx, sp.PaymentIntentID, pence, key)
	if err != nil {
		return false, refundFailed(err)
	}
	done.pence = pence
	sp.RefundedPence += pence
	return true, nil
}

// refundFailed is the error of a refund the payment provider did not
// make: its refusal as it is (EConflict with a sentence), and any other
// failure, such as Stripe not answering, as ErrCardsUnavailable with
// RefundUnavailableMessage, so that the page says to try again.
func refundFailed(err error) error {
	if ErrorCode(err) != EInternal {
		return err
	}
	return &Error{Code: EInternal, Message: RefundUnavailableMessage,
		Cause: fmt.Errorf("%w: %w", ErrCardsUnavailable, err)}
}

// forgetRefundKey removes the record of a form key whose refund failed, so
// that the same form may be sent again. The form's key stays Stripe's
// idempotency key, so when Stripe made the refund but its answer was lost
// the second sending gets that refund back instead of a new one. It runs
// even when the request's time ran out, which is how such answers are
// lost.
func (s *Service) forgetRefundKey(ctx context.Context, id, claim string) {
	if claim == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), forgetTimeout)
	defer cancel()
	if err := s.Store.ForgetPaymentEvent(ctx, claim); err != nil {
		s.log().ErrorContext(ctx, "refund key not forgotten", "sponsorship_id", id, "error", err)
	}
}

// checkRefundKey checks a refund form's key: letters, digits, '_' and '-'
// only, at most RefundKeyMax of them, as the form makes it.
func checkRefundKey(key string) error {
	ok := len(key) <= RefundKeyMax
	for i := 0; i < len(key) && ok; i++ {
		c := key[i]
		ok = c == '_' || c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	}
	if !ok {
		return Errorf(EInvalid, "This refund form is out of date. Load the page again and refund from there.")
	}
	return nil
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
