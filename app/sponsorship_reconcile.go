package app

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Reconciliation is the coordinator's account of sponsorship money: every
// event with its totals counted afresh from its sponsorships, and the
// totals of them all.
type Reconciliation struct {
	// Events are newest first; each one's Totals are recounted now.
	Events []*CivicEvent
	// Overall is the totals of every real event. The seeded demonstration
	// events' invented money is left out of it and added up in Demo, so
	// that Overall agrees with the money Stripe and the bank hold.
	Overall Totals
	Demo    Totals
	// Corrected is how many events had stored totals that disagreed with
	// their sponsorships, and were put right.
	Corrected int
}

// Reconciliation counts every event's money afresh from its sponsorships,
// for the coordinator, and puts right any stored totals that disagree.
func (s *Service) Reconciliation(ctx context.Context, a *Actor) (*Reconciliation, error) {
	if err := requireCoordinator(a); err != nil {
		return nil, err
	}

	r := &Reconciliation{Events: []*CivicEvent{}}
	err := s.eachEvent(ctx, func(e *CivicEvent, list []*Sponsorship) error {
		totals := EventTotals(list)
		if totals != e.Totals {
			r.Corrected++
			s.log().WarnContext(ctx, "event totals corrected", "event_id", e.ID)
			if _, err := s.recountEvent(ctx, e.ID); err != nil {
				return err
			}
		}
		e.Totals = totals
		r.Events = append(r.Events, e)
		if e.Demo {
			r.Demo = r.Demo.Plus(totals)
		} else {
			r.Overall = r.Overall.Plus(totals)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// eachEvent calls fn with every event, newest first, and its
// sponsorships.
func (s *Service) eachEvent(ctx context.Context, fn func(*CivicEvent, []*Sponsorship) error) error {
	for offset := 0; ; offset += MaxPerPage {
		events, total, err := s.Store.ListEvents(ctx, "", offset, MaxPerPage)
		if err != nil {
			return fmt.Errorf("list events: %w", err)
		}

		for _, e := range events {
			list, err := s.Store.ListSponsorships(ctx, e.ID)
			if err != nil {
				return fmt.Errorf("list sponsorships: %w", err)
			}
			if err := fn(e, list); err != nil {
				return err
			}
		}
		if len(events) == 0 || offset+len(events) >= total {
			return nil
		}
	}
}

// sponsorshipColumns head the CSV export.
var sponsorshipColumns = []string{
	"event_id", "event_title", "event_date", "sponsorship_id", "method", "state",
	"amount", "refunded", "fee", "item", "name", "email", "display_name", "named",
	"in_kind", "message", "created_at", "paid_at", "checkout_session_id", "payment_intent_id",
	"demo_event",
}

// FeeNotKnown stands for the fee of a paid card payment that Stripe has
// not yet told us, on pages and in the CSV export.
const FeeNotKnown = "not known yet"

// csvBOM starts the CSV export: the UTF-8 byte order mark, by which Excel
// knows the file is UTF-8 and shows accented names as typed.
const csvBOM = "\ufeff"

// WriteSponsorshipsCSV writes every sponsorship of every event as CSV,
// for the coordinator, after a UTF-8 byte order mark: amounts as plain
// pounds ("19.99"), a fee Stripe has not yet told us as FeeNotKnown,
// times in Europe/London, and demo_event "true" for the seeded
// demonstration events' invented money. No cell starts with a
// character that makes a spreadsheet run it as a formula (= + - @ |, tab,
// carriage return): such a cell gets a leading apostrophe.
func (s *Service) WriteSponsorshipsCSV(ctx context.Context, a *Actor, w io.Writer) error {
	if err := requireCoordinator(a); err != nil {
		return err
	}

	if _, err := io.WriteString(w, csvBOM); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(sponsorshipColumns); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	err := s.eachEvent(ctx, func(e *CivicEvent, list []*Sponsorship) error {
		for _, sp := range list {
			if err := cw.Write(sponsorshipRow(e, sp)); err != nil {
				return fmt.Errorf("write csv: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// sponsorshipRow is one sponsorship as CSV cells, each made safe.
func sponsorshipRow(e *CivicEvent, sp *Sponsorship) []string {
	item := ""
	if it := e.Item(sp.ItemID); it != nil {
		item = it.Label
	}
	row := []string{
		e.ID, e.Title, e.Start.In(London).Format(DateLayout), sp.ID, sp.Method, sp.State,
		PoundsString(sp.AmountPence), PoundsString(sp.RefundedPence), feeCell(sp),
		item, sp.Name, sp.Email, sp.DisplayName, strconv.FormatBool(sp.Named),
		sp.InKind, sp.Message, csvTime(sp.CreatedAt), csvTime(sp.PaidAt),
		sp.CheckoutSessionID, sp.PaymentIntentID, strconv.FormatBool(e.Demo),
	}

	for i, cell := range row {
		row[i] = SafeCell(cell)
	}
	return row
}

// feeCell is a sponsorship's fee in pounds, or FeeNotKnown for a paid
// card payment whose fee Stripe has not yet told us.
func feeCell(sp *Sponsorship) string {
	if sp.FeeUnknown() {
		return FeeNotKnown
	}
	return PoundsString(sp.FeePence)
}

// csvTime is an instant in Europe/London, or "" for none.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(London).Format("2006-01-02 15:04")
}

// SafeCell makes a spreadsheet cell inert: a cell starting with = + - @
// |, a tab or a carriage return gets a leading apostrophe, so that no
// spreadsheet runs it as a formula or a command.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '|', '\t', '\r':
		return "'" + s
	}
	return s
}
