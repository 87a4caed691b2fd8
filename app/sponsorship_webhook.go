package app

import (
	"context"
	"fmt"
	"time"
)

// HandlePaymentWebhook applies a payment provider's notice about a card
// sponsorship. The signature is checked on the raw body first: a bad
// signature, a stale or future timestamp or a body changed after signing
// is EInvalid and nothing is recorded. Without card payments set up it is
// EConflict. Each provider event is applied once, however
// often it is delivered, because its id is a unique key; and the rules of
// ApplyPayment give the same result whatever order events arrive in. When
// applying fails, the event's record is removed so that the provider's
// retry applies it.
func (s *Service) HandlePaymentWebhook(ctx context.Context, payload []byte, signature string) error {
	if s.Payments == nil {
		return Errorf(EConflict, "Card payments are not set up here, so payment notices are not taken.")
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

// applyPaymentEvent changes the sponsorship, fetches the provider's fee
// of a payment that is paid (see settleFee), recounts its event and
// queues the emails its state calls for. Amounts that disagree with the record
// are logged as warnings, with ids only.
func (s *Service) applyPaymentEvent(ctx context.Context, ev *PaymentEvent) error {
	var before Sponsorship
	sp, err := s.editSponsorship(ctx, ev.SponsorshipID, func(sp *Sponsorship) (bool, error) {
		if sp.Method != PayCard {
			return false, nil
		}
		before = *sp
		s.warnAmounts(ctx, sp, ev)
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
	if sp.FeeUnknown() {
		sp = s.settleFee(ctx, sp)
	}

	e, err := s.recountEvent(ctx, sp.EventID)
	if err != nil {
		return err
	}
	s.log().InfoContext(ctx, "payment event applied", "payment_event_id", ev.ID, "type", ev.Type,
		"sponsorship_id", sp.ID, "state", sp.State)
	return s.announceSponsorship(ctx, e, sp, refundNews(&before, sp))
}

// warnAmounts logs a payment event whose amounts disagree with the
// sponsorship: a payment taken for another amount than was asked (the
// amount taken is kept), or refunds reported beyond the amount paid (they
// are capped at it).
func (s *Service) warnAmounts(ctx context.Context, sp *Sponsorship, ev *PaymentEvent) {
	ids := []any{"payment_event_id", ev.ID, "sponsorship_id", sp.ID, "event_id", sp.EventID}
	paid := sp.AmountPence
	if taken := takenPence(sp, ev); taken > 0 && taken != paid {
		s.log().WarnContext(ctx, "payment taken differs from the sponsorship's amount", ids...)
		paid = taken
	}
	if ev.Type == PaymentRefunded && ev.RefundedPence > paid {
		s.log().WarnContext(ctx, "refund reported beyond the amount paid", ids...)
	}
	if ev.AmountPence > MaxPoundsPence || ev.RefundedPence > MaxPoundsPence {
		s.log().WarnContext(ctx, "payment event amount beyond any sponsorship, ignored", ids...)
	}
}

// refundNews is the refund the sponsor has not yet been told of, once
// after is applied: all that is refunded of a payment that has just
// become paid, or the rise in the refunded total of one paid already.
func refundNews(before, after *Sponsorship) int64 {
	if before.State != SponsorPaid {
		return after.RefundedPence
	}
	return after.RefundedPence - before.RefundedPence
}

// ApplyPayment applies a payment event to a card sponsorship and reports
// whether it changed. The rules give the same end state whatever order
// the events of one payment arrive in:
//   - succeeded makes it paid, from pending, failed or expired, for the
//     amount the provider reports taken, when it says;
//   - pending leaves the state alone;
//   - failed makes it failed unless it is paid;
//   - expired makes it expired only while it is pending;
//   - refunded raises RefundedPence to the event's cumulative refund when
//     that is more (and within MaxPoundsPence). A refunded charge was paid: when the event carries the
//     charge's amount and no completion has made the sponsorship paid, it
//     is marked paid for that amount; without one, only the refund is
//     recorded, and the completion marks it paid.
//
// A paid sponsorship's RefundedPence never exceeds its amount.
func ApplyPayment(sp *Sponsorship, ev *PaymentEvent, now time.Time) bool {
	before := *sp
	switch ev.Type {
	case PaymentSucceeded:
		markPaid(sp, takenPence(sp, ev), ev, now)
	case PaymentFailed:
		if sp.State != SponsorPaid {
			sp.State = SponsorFailed
		}
	case PaymentExpired:
		if sp.State == SponsorPending {
			sp.State = SponsorExpired
		}
	case PaymentRefunded:
		if ev.RefundedPence <= MaxPoundsPence {
			sp.RefundedPence = max(sp.RefundedPence, ev.RefundedPence)
		}
		if taken := takenPence(sp, ev); taken > 0 {
			markPaid(sp, taken, ev, now)
		}
	}
	if sp.State == SponsorPaid {
		sp.RefundedPence = min(sp.RefundedPence, sp.AmountPence)
	}

	if sp.CheckoutSessionID == "" {
		sp.CheckoutSessionID = ev.CheckoutSessionID
	}
	if sp.PaymentIntentID == "" {
		sp.PaymentIntentID = ev.PaymentIntentID
	}
	return *sp != before
}

// takenPence is the amount a payment event says was taken, which
// ApplyPayment records as paid: a completed checkout's total, or a
// refunded charge's amount while no completion has said; 0 when the event
// says nothing of it, or an amount beyond MaxPoundsPence, which no
// sponsorship can be and which totals could not add up.
func takenPence(sp *Sponsorship, ev *PaymentEvent) int64 {
	switch {
	case ev.AmountPence <= 0 || ev.AmountPence > MaxPoundsPence:
		return 0
	case ev.Type == PaymentSucceeded:
		return ev.AmountPence
	case ev.Type == PaymentRefunded && sp.State != SponsorPaid:
		return ev.AmountPence
	}
	return 0
}

// markPaid marks a sponsorship paid, when the payment was made, for the
// amount taken when it is known (more than 0).
func markPaid(sp *Sponsorship, taken int64, ev *PaymentEvent, now time.Time) {
	if taken > 0 {
		sp.AmountPence = taken
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
