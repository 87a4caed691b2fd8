package app

import (
	"context"
	"fmt"
	"time"
)

// HandlePaymentWebhook applies a payment provider's notice about a card
// sponsorship. The signature is checked on the raw body first: a bad
// signature, a stale timestamp or a body changed after signing is EInvalid
// and nothing is recorded. Each provider event is applied once, however
// often it is delivered, because its id is a unique key; and the rules of
// ApplyPayment give the same result whatever order events arrive in. When
// applying fails, the event's record is removed so that the provider's
// retry applies it.
func (s *Service) HandlePaymentWebhook(ctx context.Context, payload []byte, signature string) error {
	if s.Payments == nil {
		return Errorf(EInvalid, "Card payment is not set up, so payment notices are not taken.")
	}
	ev, err := s.Payments.ParseWebhook(payload, signature)
	if err != nil {
		return err
	}
	if ev.Type == PaymentIgnored || !ValidID(ev.SponsorshipID) {
		s.log().InfoContext(ctx, "payment event ignored", "payment_event_id", ev.ID, "type", ev.Type)
		return nil
	}

	err = s.Store.RecordPaymentEvent(ctx, ev.ID, ev.SponsorshipID, s.now().UTC())
	if ErrorCode(err) == EConflict {
		s.log().InfoContext(ctx, "payment event applied already", "payment_event_id", ev.ID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("record payment event: %w", err)
	}

	if err := s.applyPaymentEvent(ctx, ev); err != nil {
		if ferr := s.Store.ForgetPaymentEvent(ctx, ev.ID); ferr != nil {
			s.log().ErrorContext(ctx, "payment event not forgotten", "payment_event_id", ev.ID, "error", ferr)
		}
		return err
	}
	return nil
}

// applyPaymentEvent changes the sponsorship, recounts its event and queues
// the emails its state calls for.
func (s *Service) applyPaymentEvent(ctx context.Context, ev *PaymentEvent) error {
	sp, err := s.editSponsorship(ctx, ev.SponsorshipID, func(sp *Sponsorship) (bool, error) {
		if sp.Method != PayCard {
			return false, nil
		}
		return ApplyPayment(sp, ev, s.now()), nil
	})
	if ErrorCode(err) == ENotFound {
		// Not one of ours: another system may share the Stripe account.
		s.log().WarnContext(ctx, "payment event for no sponsorship", "payment_event_id", ev.ID,
			"sponsorship_id", ev.SponsorshipID)
		return nil
	}
	if err != nil {
		return err
	}

	e, err := s.recountEvent(ctx, sp.EventID)
	if err != nil {
		return err
	}
	s.log().InfoContext(ctx, "payment event applied", "payment_event_id", ev.ID, "type", ev.Type,
		"sponsorship_id", sp.ID, "state", sp.State)
	return s.announceSponsorship(ctx, e, sp)
}

// ApplyPayment applies a payment event to a card sponsorship and reports
// whether it changed. The rules give the same end state whatever order
// the events of one payment arrive in:
//   - succeeded makes it paid, from pending, failed or expired;
//   - pending leaves the state alone;
//   - failed makes it failed unless it is paid;
//   - expired makes it expired only while it is pending;
//   - refunded raises RefundedPence to the event's cumulative refund when
//     that is more, and makes it paid, since a refunded charge was paid.
func ApplyPayment(sp *Sponsorship, ev *PaymentEvent, now time.Time) bool {
	before := *sp
	switch ev.Type {
	case PaymentSucceeded:
		markPaid(sp, ev, now)
	case PaymentFailed:
		if sp.State != SponsorPaid {
			sp.State = SponsorFailed
		}
	case PaymentExpired:
		if sp.State == SponsorPending {
			sp.State = SponsorExpired
		}
	case PaymentRefunded:
		sp.RefundedPence = max(sp.RefundedPence, ev.RefundedPence)
		markPaid(sp, ev, now)
	}

	if sp.CheckoutSessionID == "" {
		sp.CheckoutSessionID = ev.CheckoutSessionID
	}
	if sp.PaymentIntentID == "" {
		sp.PaymentIntentID = ev.PaymentIntentID
	}
	sp.FeePence = max(sp.FeePence, ev.FeePence)
	return *sp != before
}

// markPaid marks a sponsorship paid, when the payment was made. The
// amount paid is the provider's when it says.
func markPaid(sp *Sponsorship, ev *PaymentEvent, now time.Time) {
	if ev.Type == PaymentSucceeded && ev.AmountPence > 0 {
		sp.AmountPence = ev.AmountPence
	}

	if sp.State == SponsorPaid {
		return
	}
	sp.State = SponsorPaid
	sp.PaidAt = ev.Created.UTC()
	if ev.Created.IsZero() {
		sp.PaidAt = now.UTC()
	}
}
