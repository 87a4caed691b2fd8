package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

func TestCreateEvent(t *testing.T) {
	m := newMoneyEnv(t, false)
	ctx := context.Background()
	college := m.org(t, app.KindCollege, "East Durham College", pcNetpark, false)
	employer := m.org(t, app.KindEmployer, "Kromek Group", pcNetpark, true)

	e, err := m.svc.CreateEvent(ctx, m.organiser, validEvent())
	if err != nil {
		t.Fatal(err)
	}
	wantStart := time.Date(2026, time.March, 14, 9, 30, 0, 0, app.London)
	if !e.Start.Equal(wantStart) || e.Start.Location() != time.UTC || e.End.Sub(e.Start) != 330*time.Minute {
		t.Fatalf("event runs %v to %v, want 09:30 to 15:00 London stored in UTC", e.Start, e.End)
	}
	if e.GoalPence != 150000 || e.MinPence != 500 || e.MaxPence != 100010 || e.Status != app.EventOpen ||
		e.Postcode != pcStanley || !e.Location.Known() || len(e.Items) != 1 || e.Items[0].GoalPence != 40000 ||
		e.Items[0].ID == "" || e.OrgName != "School 114500" {
		t.Fatalf("event stored as %+v", e)
	}

	defaults := validEvent()
	defaults.MinAmount, defaults.MaxAmount, defaults.Items = "", "", nil
	for _, a := range []*app.Actor{college, m.coord} {
		d, err := m.svc.CreateEvent(ctx, a, defaults)
		if err != nil || d.MinPence != app.DefaultMinSponsorPence || d.MaxPence != app.DefaultMaxSponsorPence {
			t.Fatalf("event by %s: %+v, %v", a.Kind, d, err)
		}
	}

	refused := []struct {
		name string
		a    *app.Actor
		code string
	}{
		{"an employer", employer, app.EForbidden},
		{"anonymous", nil, app.EUnauthorized},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.svc.CreateEvent(ctx, tc.a, validEvent())
			wantCode(t, err, tc.code)
		})
	}
}

func TestCreateEventRefusesBadInput(t *testing.T) {
	m := newMoneyEnv(t, false)
	ctx := context.Background()

	tests := []struct {
		name        string
		edit        func(*app.EventInput)
		field, part string
	}{
		{"no title", func(in *app.EventInput) { in.Title = " " }, "title", "Enter a title"},
		{"title over two lines", func(in *app.EventInput) { in.Title = "Careers fair\nBcc: x@example.org" }, "title",
			"Title must be on one line"},
		{"venue over two lines", func(in *app.EventInput) { in.Venue = "Town Hall\r\nMarket Place" }, "venue",
			"Venue must be on one line"},
		{"no description", func(in *app.EventInput) { in.Description = "" }, "description", "Enter a description"},
		{"no venue", func(in *app.EventInput) { in.Venue = "" }, "venue", "Enter the venue"},
		{"no date", func(in *app.EventInput) { in.Date = "" }, "date", "Enter the date"},
		{"date not a date", func(in *app.EventInput) { in.Date = "14/03/2026" }, "date", "like 2026-03-14"},
		{"date in the past", func(in *app.EventInput) { in.Date = "2026-01-11" }, "date", "in the past"},
		{"earlier today", func(in *app.EventInput) { in.Date, in.StartTime = "2026-01-12", "08:00" },
			"date", "in the past"},
		{"no start time", func(in *app.EventInput) { in.StartTime = "" }, "start_time", "Enter the time"},
		{"time not a time", func(in *app.EventInput) { in.EndTime = "3pm" }, "end_time", "like 09:30"},
		{"ends before it starts", func(in *app.EventInput) { in.EndTime = "09:00" }, "end_time", "end after"},
		{"a time the clocks skip", func(in *app.EventInput) { in.Date, in.StartTime = "2026-03-29", "01:30" },
			"start_time", "clocks go forward"},
		{"bad postcode", func(in *app.EventInput) { in.Postcode = "not a postcode" }, "postcode", ""},
		{"no postcode", func(in *app.EventInput) { in.Postcode = "" }, "postcode", "Enter the postcode"},
		{"no goal", func(in *app.EventInput) { in.Goal = "" }, "goal", "Enter the goal"},
		{"goal under a pound", func(in *app.EventInput) { in.Goal = "0.99" }, "goal", "at least £1.00"},
		{"goal in fractions of a penny", func(in *app.EventInput) { in.Goal = "1500.005" }, "goal", "whole pence"},
		{"goal negative", func(in *app.EventInput) { in.Goal = "-1500" }, "goal", "cannot be negative"},
		{"goal not a number", func(in *app.EventInput) { in.Goal = "lots" }, "goal", "like 19.99"},
		{"goal absurd", func(in *app.EventInput) { in.Goal = "£50,000,000" }, "goal", "no more than"},
		{"minimum under a pound", func(in *app.EventInput) { in.MinAmount = "0.50" }, "min_amount", "at least £1.00"},
		{"maximum beyond one card payment", func(in *app.EventInput) { in.MaxAmount = "1,000,000" },
			"max_amount", "no more than £999,999.99"},
		{"minimum above maximum", func(in *app.EventInput) { in.MinAmount, in.MaxAmount = "50", "20" },
			"max_amount", "must not be less than"},
		{"item of an unknown kind", func(in *app.EventInput) { in.Items[0].Kind = "catering" },
			"items[0].kind", "venue, coaches"},
		{"item without a label", func(in *app.EventInput) { in.Items[0].Label = "" }, "items[0].label", "Enter what"},
		{"item label too long", func(in *app.EventInput) {
			in.Items[0].Label = strings.Repeat("é", app.FundingLabelMax+2)
		}, "items[0].label",
			fmt.Sprintf("%d characters or fewer (it has %d)", app.FundingLabelMax, app.FundingLabelMax+2)},
		{"item without a goal", func(in *app.EventInput) { in.Items[0].Goal = "" }, "items[0].goal", "Enter the goal"},
		{"items beyond the goal", func(in *app.EventInput) {
			in.Items = append(in.Items, app.FundingItemInput{Kind: app.FundVenue, Label: "Hall hire", Goal: "1,100.01"})
		}, "items", "add up to £1,500.01"},
		{"item id of another event", func(in *app.EventInput) { in.Items[0].ID = "itm_0123456789" },
			"items[0].id", "not one of this event's"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validEvent()
			tc.edit(&in)
			e, err := m.svc.CreateEvent(ctx, m.organiser, in)
			wantField(t, err, tc.field, tc.part)
			if e != nil {
				t.Fatalf("an event came back with the error: %+v", e)
			}
		})
	}

	_, total, err := m.svc.ListMyEvents(ctx, m.organiser, 1)
	if err != nil || total != 0 {
		t.Fatalf("refused events were stored: %d, %v", total, err)
	}
}

func TestUpdateEvent(t *testing.T) {
	m := newMoneyEnv(t, false)
	ctx := context.Background()
	other := m.schoolActor(t, "114501", pcConsett)
	e := m.event(t)

	in := app.EventInputOf(e)
	if in.Goal != "1500.00" || in.MaxAmount != "1000.10" || in.Date != "2026-03-14" || in.StartTime != "09:30" ||
		in.Items[0].ID != e.Items[0].ID {
		t.Fatalf("EventInputOf = %+v", in)
	}
	in.Title = "Stanley careers and apprenticeships fair"
	got, err := m.svc.UpdateEvent(ctx, m.coord, e.ID, in)
	if err != nil || got.Title != in.Title || got.Items[0].ID != e.Items[0].ID || !got.Start.Equal(e.Start) ||
		got.GoalPence != e.GoalPence || got.OrgID != e.OrgID {
		t.Fatalf("UpdateEvent by the coordinator = %+v, %v", got, err)
	}

	_, err = m.svc.UpdateEvent(ctx, other, e.ID, in)
	wantCode(t, err, app.EForbidden)

	// An item a pledge pays for stays.
	_, err = m.svc.RecordPledge(ctx, m.coord, e.ID, app.PledgeInput{Method: app.PayInvoice, Amount: "400",
		Name: "Go North East", ItemID: e.Items[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	noItems := in
	noItems.Items = nil
	_, err = m.svc.UpdateEvent(ctx, m.organiser, e.ID, noItems)
	wantField(t, err, "items", "has sponsorships")

	// Once under way, the event's other details may still be put right.
	m.now = time.Date(2026, time.March, 14, 10, 0, 0, 0, app.London)
	in.Venue = "Stanley Civic Hall, Front Street"
	if _, err := m.svc.UpdateEvent(ctx, m.organiser, e.ID, in); err != nil {
		t.Fatalf("an unchanged date in the past was refused: %v", err)
	}
	in.Date = "2026-03-13"
	_, err = m.svc.UpdateEvent(ctx, m.organiser, e.ID, in)
	wantField(t, err, "date", "in the past")
}

func TestEventStatusAndLists(t *testing.T) {
	m := newMoneyEnv(t, false)
	ctx := context.Background()
	first := m.event(t)
	m.now = m.now.Add(time.Minute)
	second := m.event(t)
	other := m.schoolActor(t, "114502", pcConsett)

	wantCode(t, m.svc.SetEventStatus(ctx, other, first.ID, app.EventClosed), app.EForbidden)
	wantField(t, m.svc.SetEventStatus(ctx, m.organiser, first.ID, "paused"), "status", "open or closed")
	wantCode(t, m.svc.SetEventStatus(ctx, m.organiser, first.ID, app.EventClosed), "")
	e, err := m.svc.GetEvent(ctx, nil, first.ID)
	if err != nil || e.Status != app.EventClosed {
		t.Fatalf("closed event reads %+v, %v", e, err)
	}
	_, err = m.svc.GetEvent(ctx, nil, "evt_missing000")
	wantCode(t, err, app.ENotFound)

	list, total, err := m.svc.ListPublicEvents(ctx, 1, 0)
	if err != nil || total != 2 || len(list) != 2 || list[0].ID != second.ID {
		t.Fatalf("public list %d of %d, %v; want both, newest first", len(list), total, err)
	}
	mine, total, err := m.svc.ListMyEvents(ctx, other, 1)
	if err != nil || total != 0 || len(mine) != 0 {
		t.Fatalf("another school's events: %d, %v", total, err)
	}
	_, _, err = m.svc.ListMyEvents(ctx, nil, 1)
	wantCode(t, err, app.EUnauthorized)
}

// TestEventTooManyItems: more funding items than an event may have are
// refused at the items field, and nothing is saved.
func TestEventTooManyItems(t *testing.T) {
	m := newMoneyEnv(t, false)
	in := validEvent()
	in.Items = nil
	for i := range app.MaxFundingItems + 1 {
		in.Items = append(in.Items, app.FundingItemInput{Kind: app.FundOther,
			Label: fmt.Sprintf("Item %d", i), Goal: "1"})
	}
	_, err := m.svc.CreateEvent(context.Background(), m.organiser, in)
	wantField(t, err, "items", "An event can have at most 20 items.")
	if _, total, _ := m.store.ListEvents(context.Background(), "", 0, 10); total != 0 {
		t.Fatalf("%d events saved", total)
	}
}

func TestEventInputMessagesNameFields(t *testing.T) {
	m := newMoneyEnv(t, false)
	in := validEvent()
	in.Title, in.Goal = "", "abc"
	_, err := m.svc.CreateEvent(context.Background(), m.organiser, in)
	msg := app.ErrorMessage(err)
	if !strings.Contains(msg, "Enter a title.") || !strings.Contains(msg, "The goal must be an amount") {
		t.Fatalf("message %q should name every bad field", msg)
	}
}
