package app

import (
	"context"
	"fmt"
)

// EventTotals adds up an event's sponsorships, in pence:
//   - card payments paid count their amount as Raised, their refunds as
//     Refunded and their fees as Fees; pending, failed and expired ones
//     count nothing;
//   - invoice and transfer pledges count as Pledged until received, then
//     as Received; withdrawn ones count nothing;
//   - in-kind support pledged or received counts its value as InKind.
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
		t.RaisedPence += sp.AmountPence
		t.RefundedPence += sp.RefundedPence
		t.FeesPence += sp.FeePence
		if sp.RefundedPence < sp.AmountPence {
			t.Sponsors++
		}
	case sp.Method == PayInKind && (sp.State == SponsorPledged || sp.State == SponsorReceived):
		t.InKindPence += sp.AmountPence
		t.Sponsors++
	case sp.Method != PayCard && sp.State == SponsorPledged:
		t.PledgedPence += sp.AmountPence
		t.Sponsors++
	case sp.Method != PayCard && sp.State == SponsorReceived:
		t.ReceivedPence += sp.AmountPence
		t.Sponsors++
	}
}

// Plus returns the sum of two totals, for the overall figures.
func (t Totals) Plus(o Totals) Totals {
	return Totals{
		RaisedPence:   t.RaisedPence + o.RaisedPence,
		RefundedPence: t.RefundedPence + o.RefundedPence,
		FeesPence:     t.FeesPence + o.FeesPence,
		PledgedPence:  t.PledgedPence + o.PledgedPence,
		ReceivedPence: t.ReceivedPence + o.ReceivedPence,
		InKindPence:   t.InKindPence + o.InKindPence,
		Sponsors:      t.Sponsors + o.Sponsors,
	}
}

// NetPence is card money kept: raised less refunded.
func (t Totals) NetPence() int64 { return t.RaisedPence - t.RefundedPence }

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
