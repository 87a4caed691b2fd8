package app

import (
	"context"
	"fmt"
)

// EventTotals adds up an event's sponsorships, in pence:
//   - card payments paid count their amount as Raised, their refunds as
//     Refunded and their fees, once known, as Fees (FeesUnknown counts
//     those whose fee is not); pending, failed, expired and unstarted ones
//     count nothing;
//   - invoice and transfer pledges count as Pledged until received, then
//     as Received; withdrawn ones count nothing;
//   - in-kind support counts its value as InKindPledged until received,
//     then as InKind, like other pledges.
//
// Sponsors counts the sponsorships that count, less card payments refunded
// in full.
func EventTotals(list []*Sponsorship) Totals {
	var t Totals
	for _, sp := range list {
		t.add(sp)
	}
	return t
}

func (t *Totals) add(sp *Sponsorship) {
	switch {
	case sp.Method == PayCard && sp.State == SponsorPaid:
		t.addCard(sp)
		return
	case sp.Method == PayCard || sp.State == SponsorWithdrawn:
		return
	case sp.Method == PayInKind && sp.State == SponsorPledged:
		t.InKindPledgedPence += sp.AmountPence
	case sp.Method == PayInKind && sp.State == SponsorReceived:
		t.InKindPence += sp.AmountPence
	case sp.State == SponsorPledged:
		t.PledgedPence += sp.AmountPence
	case sp.State == SponsorReceived:
		t.ReceivedPence += sp.AmountPence
	default:
		return
	}
	t.Sponsors++
}

// addCard counts a paid card payment.
func (t *Totals) addCard(sp *Sponsorship) {
	t.RaisedPence += sp.AmountPence
	t.RefundedPence += sp.RefundedPence
	if sp.FeeKnown {
		t.FeesPence += sp.FeePence
	} else {
		t.FeesUnknown++
	}
	if sp.RefundedPence < sp.AmountPence {
		t.Sponsors++
	}
}

// Plus returns the sum of two totals, for the overall figures.
func (t Totals) Plus(o Totals) Totals {
	return Totals{
		RaisedPence:        t.RaisedPence + o.RaisedPence,
		RefundedPence:      t.RefundedPence + o.RefundedPence,
		FeesPence:          t.FeesPence + o.FeesPence,
		FeesUnknown:        t.FeesUnknown + o.FeesUnknown,
		PledgedPence:       t.PledgedPence + o.PledgedPence,
		ReceivedPence:      t.ReceivedPence + o.ReceivedPence,
		InKindPence:        t.InKindPence + o.InKindPence,
		InKindPledgedPence: t.InKindPledgedPence + o.InKindPledgedPence,
		Sponsors:           t.Sponsors + o.Sponsors,
	}
}

// GivenPence is what sponsors have given towards the goal, as the public
// pages show it: card payments less refunds, and offline money received.
// Stripe's fees are not taken off here: see InHandPence.
func (t Totals) GivenPence() int64 { return t.RaisedPence - t.RefundedPence + t.ReceivedPence }

// NetPence is card money kept: raised less refunded less the fees known.
// While FeesUnknown is more than 0, it is more than will be paid out.
func (t Totals) NetPence() int64 { return t.RaisedPence - t.RefundedPence - t.FeesPence }

// InHandPence is money the event has: card money kept (NetPence) and
// offline money received.
func (t Totals) InHandPence() int64 { return t.NetPence() + t.ReceivedPence }

// recountEvent sets an event's Totals from its sponsorships as stored now,
// never by adding to the stored figures, so that changes applied in any
// order, or twice, agree. It returns the event as stored.
func (s *Service) recountEvent(ctx context.Context, eventID string) (*CivicEvent, error) {
	unlock := s.lock(lockCivicEvent, eventID)
	defer unlock()
	e, err := s.Store.GetEvent(ctx, eventID)
	if err != nil {
		return nil, fmt.Errorf("recount event: %w", err)
	}
	list, err := s.Store.ListSponsorships(ctx, eventID)
	if err != nil {
		return nil, fmt.Errorf("recount event: %w", err)
	}

	totals := EventTotals(list)
	if totals == e.Totals {
		return e, nil
	}
	e.Totals = totals
	if err := s.Store.UpdateEvent(ctx, e); err != nil {
		return nil, fmt.Errorf("recount event: %w", err)
	}
	return e, nil
}
