package app

import (
	"context"
	"fmt"
	"time"
)

// feeTimeout bounds one question to the payment provider about a fee, so
// that a webhook is answered in good time when the provider is slow.
const feeTimeout = 10 * time.Second

// feeSweepBatch is the most fees one SweepFees asks for.
const feeSweepBatch = 20

// FeeUnknown reports whether a sponsorship's fee is still to be fetched:
// a paid card payment whose fee the provider has not yet told us.
func (sp *Sponsorship) FeeUnknown() bool {
	return sp.Method == PayCard && sp.State == SponsorPaid && !sp.FeeKnown
}

// settleFee notes that a paid card sponsorship's fee is due, then asks the
// payment provider for it and records it. It never fails: when the
// provider cannot be asked or cannot say yet, the fee stays unknown and
// noted, and SweepFees asks again. It returns the sponsorship as stored.
func (s *Service) settleFee(ctx context.Context, sp *Sponsorship) *Sponsorship {
	if err := s.Store.MarkFeeDue(ctx, sp.ID, s.now().UTC()); err != nil {
		s.log().ErrorContext(ctx, "fee not marked due", "sponsorship_id", sp.ID, "error", err)
	}
	stored, _, err := s.fetchFee(ctx, sp)
	if err != nil {
		s.log().WarnContext(ctx, "payment fee not fetched", "sponsorship_id", sp.ID, "error", err)
		return sp
	}
	return stored
}

// fetchFee asks the payment provider for sp's fee and, when it knows it,
// records it on the sponsorship and clears the note that it is due. It
// reports whether the fee is now known; an error means the provider could
// not be asked, or the record not written.
func (s *Service) fetchFee(ctx context.Context, sp *Sponsorship) (*Sponsorship, bool, error) {
	if sp.PaymentIntentID == "" {
		return sp, false, nil // the checkout's completion names the payment
	}
	fctx, cancel := context.WithTimeout(ctx, feeTimeout)
	pence, known, err := s.Payments.PaymentFee(fctx, sp.PaymentIntentID)
	cancel()
	if err != nil || !known {
		return sp, false, err
	}

	stored, err := s.editSponsorship(ctx, sp.ID, func(sp *Sponsorship) (bool, error) {
		if sp.FeeKnown && sp.FeePence == pence {
			return false, nil
		}
		sp.FeePence, sp.FeeKnown = pence, true
		return true, nil
	})
	if err != nil {
		return sp, false, err
	}
	if err := s.Store.ClearFeeDue(ctx, sp.ID); err != nil {
		return stored, true, fmt.Errorf("clear fee due: %w", err)
	}
	s.log().InfoContext(ctx, "payment fee recorded", "sponsorship_id", sp.ID, "fee_pence", pence)
	return stored, true, nil
}

// SweepFees asks the payment provider for fees still unknown, at most
// feeSweepBatch of them, oldest first, and recounts the events of those
// it learns. A fee the provider cannot say yet goes to the back of the
// queue, and so does the first the provider does not answer, where the
// sweep stops, to try again next time. Notes whose sponsorship needs no
// fee any more are cleared. The background loop calls it every minute;
// without card payments it does nothing.
func (s *Service) SweepFees(ctx context.Context) error {
	if s.Payments == nil {
		return nil
	}
	ids, err := s.Store.FeesDue(ctx, feeSweepBatch)
	if err != nil {
		return fmt.Errorf("list fees due: %w", err)
	}

	for _, id := range ids {
		sp, err := s.Store.GetSponsorship(ctx, id)
		switch {
		case ErrorCode(err) == ENotFound || (err == nil && !sp.FeeUnknown()):
			if err := s.Store.ClearFeeDue(ctx, id); err != nil {
				return fmt.Errorf("clear fee due: %w", err)
			}
			continue
		case err != nil:
			return fmt.Errorf("get sponsorship: %w", err)
		}

		if err := s.sweepFee(ctx, sp); err != nil {
			return err
		}
	}
	return nil
}

// sweepFee fetches one fee for SweepFees: once known, the event is
// recounted; while unknown, the note goes to the back of the queue, so
// that a payment the provider will never answer for holds up no other.
func (s *Service) sweepFee(ctx context.Context, sp *Sponsorship) error {
	_, known, err := s.fetchFee(ctx, sp)
	if known {
		if _, rerr := s.recountEvent(ctx, sp.EventID); rerr != nil {
			return rerr
		}
		return err // a note left behind is cleared by the next sweep
	}

	if merr := s.Store.MarkFeeDue(ctx, sp.ID, s.now().UTC()); merr != nil {
		return fmt.Errorf("mark fee due: %w", merr)
	}
	if err != nil {
		return fmt.Errorf("fetch fee of %s: %w", sp.ID, err)
	}
	return nil
}
