package app

import (
	"context"
	"log/slog"
	"time"
)

// This file is the demo's civic events: a careers fair, the coaches that
// bring rural schools to it, a young people's forum and an engineering
// evening, at real County Durham venues, with demo sponsors. Every event
// is marked Demo and every sponsor's name says "Demo". Coordinates are
// Code-Point Open 2014 centroids of the venues' postcodes.

// demoEvent is one demo civic event, organised by the county coordinator
// on the date of Slot counted from the Monday of the seeding week.
type demoEvent struct {
	ID          string
	Title       string
	Description string
	Venue       string
	Postcode    string
	Lat, Lon    float64
	Slot        demoSlot
	GoalPence   int64
	MinPence    int64
	MaxPence    int64
	Items       []FundingItem
	Sponsors    []demoSponsor
}

// demoSponsor is one demo sponsorship, already settled: a card payment
// paid, or an offline pledge pledged or received.
type demoSponsor struct {
	ID          string
	ItemID      string
	Method      string
	State       string
	AmountPence int64
	FeePence    int64
	DisplayName string
	Named       bool
	Message     string
	InKind      string
}

var demoEvents = []demoEvent{
	{
		ID:    "demo-event-durham-careers-fair",
		Title: "Demo: Durham careers and apprenticeships fair",
		Description: "A free careers fair for Years 9 to 13, college students and adults " +
			"thinking about a change. Employers from across the county run stands and " +
			"have-a-go activities; apprenticeship providers and the colleges answer " +
			"questions about routes in. Sponsors' money pays for the hall, the signs " +
			"and printed guides, and the coaches that bring schools from the dales.",
		Venue: "Durham Town Hall, Market Place, Durham", Postcode: "DH1 3NJ",
		Lat: 54.777142, Lon: -1.576023,
		Slot:      demoSlot{Week: 8, Day: time.Thursday, Hour: 10, Minutes: 300},
		GoalPence: 3_500_00, MinPence: 5_00, MaxPence: 1_000_00,
		Items: []FundingItem{
			{ID: "hall", Kind: FundVenue, Label: "Hire of the main hall for the day", GoalPence: 1_200_00},
			{ID: "guides", Kind: FundMaterials, Label: "Signs and printed guides", GoalPence: 800_00},
			{ID: "coaches", Kind: FundCoaches, Label: "Coaches for schools", GoalPence: 1_500_00},
		},
		Sponsors: []demoSponsor{
			{ID: "demo-sponsorship-fair-1", ItemID: "guides", Method: PayCard, State: SponsorPaid,
				AmountPence: 250_00, FeePence: 3_95, DisplayName: "Demo: Market Place bookshop",
				Named: true, Message: "Good luck to everyone taking their first step."},
			{ID: "demo-sponsorship-fair-2", Method: PayCard, State: SponsorPaid,
				AmountPence: 40_00, FeePence: 80},
			{ID: "demo-sponsorship-fair-3", ItemID: "hall", Method: PayInKind, State: SponsorReceived,
				AmountPence: 600_00, DisplayName: "Demo: Durham civic trust", Named: true,
				InKind: "The small hall and its tables for the day, without charge"},
		},
	},
	{
		ID:    "demo-event-dales-coach-fund",
		Title: "Demo: Coaches from Weardale and Teesdale to the careers fair",
		Description: "Schools in Weardale and Teesdale are an hour or more from Durham by " +
			"road, and the bus does not fit a school day. This fund hires three coaches " +
			"so that their pupils can go to the careers fair with everyone else.",
		Venue: "Durham Dales Centre, Castle Gardens, Stanhope (pick-up)", Postcode: "DL13 2FJ",
		Lat: 54.748208, Lon: -2.007332,
		Slot:      demoSlot{Week: 8, Day: time.Thursday, Hour: 8, Min: 30, Minutes: 450},
		GoalPence: 1_800_00, MinPence: 5_00, MaxPence: 900_00,
		Items: []FundingItem{
			{ID: "coach-weardale", Kind: FundCoaches,
				Label: "Coach from Stanhope and Wolsingham", GoalPence: 600_00},
			{ID: "coach-teesdale", Kind: FundCoaches,
				Label: "Coach from Middleton-in-Teesdale and Barnard Castle", GoalPence: 700_00},
			{ID: "coach-villages", Kind: FundCoaches,
				Label: "Coach from the upper Weardale villages", GoalPence: 500_00},
		},
		Sponsors: []demoSponsor{
			{ID: "demo-sponsorship-coach-1", ItemID: "coach-weardale", Method: PayCard, State: SponsorPaid,
				AmountPence: 600_00, FeePence: 9_20, DisplayName: "Demo: Weardale community fund",
				Named: true, Message: "For every pupil in the dale who wants to go."},
			{ID: "demo-sponsorship-coach-2", ItemID: "coach-teesdale", Method: PayInvoice,
				State: SponsorPledged, AmountPence: 300_00, DisplayName: "Demo: Teesdale haulage firm",
				Named: true},
		},
	},
	{
		ID:    "demo-event-bishop-auckland-forum",
		Title: "Demo: Young people's forum on jobs and getting there",
		Description: "An evening forum where young people from south Durham tell employers, " +
			"councillors and transport operators what stops them reaching training and " +
			"work, and hear what is planned. Sponsorship pays for the room, food and " +
			"bus fares home.",
		Venue: "Bishop Auckland Town Hall, Market Place, Bishop Auckland", Postcode: "DL14 7NP",
		Lat: 54.665953, Lon: -1.672591,
		Slot:      demoSlot{Week: 10, Day: time.Wednesday, Hour: 17, Min: 30, Minutes: 120},
		GoalPence: 900_00, MinPence: 5_00, MaxPence: 500_00,
	},
	{
		ID:    "demo-event-netpark-evening",
		Title: "Demo: Science and engineering careers evening at NETpark",
		Description: "Families meet the scientists, engineers and technicians of the " +
			"science park at Sedgefield, tour a clean room and try hands-on " +
			"demonstrations. Sponsors paid for the buses and the demonstration kits.",
		Venue: "NETpark, Thomas Wright Way, Sedgefield", Postcode: "TS21 3FD",
		Lat: 54.670294, Lon: -1.45134,
		Slot:      demoSlot{Week: 13, Day: time.Tuesday, Hour: 16, Minutes: 180},
		GoalPence: 1_500_00, MinPence: 5_00, MaxPence: 1_000_00,
		Sponsors: []demoSponsor{
			{ID: "demo-sponsorship-netpark-1", Method: PayCard, State: SponsorPaid,
				AmountPence: 1_000_00, FeePence: 15_20, DisplayName: "Demo: Sedgefield engineering firm",
				Named: true, Message: "We started here too."},
			{ID: "demo-sponsorship-netpark-2", Method: PayTransfer, State: SponsorReceived,
				AmountPence: 500_00},
		},
	},
}

// events creates the missing demo civic events and their sponsorships,
// and gives a demo event that has taken place new dates. Like the rest of
// the demo it never rewrites a record otherwise, so a second run changes
// nothing. The seed report counts the market only; events are logged.
func (run *demoSeed) events(ctx context.Context) error {
	for _, spec := range demoEvents {
		if err := run.event(ctx, spec); err != nil {
			return err
		}
	}
	run.svc.log().InfoContext(ctx, "demo events seeded", slog.Int("events", len(demoEvents)))
	return nil
}

// event returns the stored demo event, creating it when missing and
// moving it on when it has taken place, then seeds its sponsorships.
func (run *demoSeed) event(ctx context.Context, spec demoEvent) error {
	store := run.svc.Store
	e, err := store.GetEvent(ctx, spec.ID)
	switch {
	case ErrorCode(err) == ENotFound:
		e = demoEventFor(spec, run.anchor, run.now)
		err = store.CreateEvent(ctx, e)
	case err == nil && e.Demo && !e.Start.After(run.now):
		e.Start, e.End = demoEventDates(spec, run.anchor)
		e.UpdatedAt = run.now
		err = store.UpdateEvent(ctx, e)
	}
	if err != nil {
		return seedFailed("seed event", spec.ID, err)
	}

	return run.eventSponsors(ctx, e, spec)
}

// demoEventFor builds an open demo event organised by the coordinator.
func demoEventFor(spec demoEvent, anchor, now time.Time) *CivicEvent {
	e := &CivicEvent{
		ID: spec.ID, OrgID: CoordinatorOrgID, OrgName: "County careers coordinator",
		Title: spec.Title, Description: spec.Description, Venue: spec.Venue, Postcode: spec.Postcode,
		Location:  Location{Lat: spec.Lat, Lon: spec.Lon, Precision: PrecisionPostcode},
		GoalPence: spec.GoalPence, MinPence: spec.MinPence, MaxPence: spec.MaxPence,
		Items: spec.Items, Status: EventOpen, Demo: true, CreatedAt: now, UpdatedAt: now,
	}
	e.Start, e.End = demoEventDates(spec, anchor)
	return e
}

// demoEventDates dates an event's slot, as instants.
func demoEventDates(spec demoEvent, anchor time.Time) (start, end time.Time) {
	s := demoSession(spec.ID, spec.Slot, anchor)
	return s.Start.UTC(), s.End.UTC()
}

// eventSponsors creates the event's missing demo sponsorships and, when
// any was created, counts the event's totals again from all of them.
func (run *demoSeed) eventSponsors(ctx context.Context, e *CivicEvent, spec demoEvent) error {
	store := run.svc.Store
	added := false
	for _, d := range spec.Sponsors {
		_, err := store.GetSponsorship(ctx, d.ID)
		if ErrorCode(err) == ENotFound {
			err = store.CreateSponsorship(ctx, demoSponsorshipFor(e.ID, d, run.now))
			added = true
		}
		if err != nil {
			return seedFailed("seed sponsorship", d.ID, err)
		}
	}
	if !added {
		return nil
	}

	list, err := store.ListSponsorships(ctx, e.ID)
	if err != nil {
		return seedFailed("list sponsorships", e.ID, err)
	}
	e.Totals = EventTotals(list)
	e.UpdatedAt = run.now
	if err := store.UpdateEvent(ctx, e); err != nil {
		return seedFailed("total event", e.ID, err)
	}
	return nil
}

// demoSponsorshipFor builds a settled demo sponsorship. Its sponsor's
// private name is the display name, or "Demo sponsor" for one who gave
// anonymously, at an example.org address that reaches no one.
func demoSponsorshipFor(eventID string, d demoSponsor, now time.Time) *Sponsorship {
	sp := &Sponsorship{
		ID: d.ID, EventID: eventID, ItemID: d.ItemID, Method: d.Method, State: d.State,
		AmountPence: d.AmountPence, FeePence: d.FeePence, FeeKnown: d.Method == PayCard,
		Name: d.DisplayName, Email: d.ID + "@example.org", DisplayName: d.DisplayName, Named: d.Named,
		Message: d.Message, InKind: d.InKind, CreatedAt: now, UpdatedAt: now,
	}
	if sp.Name == "" {
		sp.Name = "Demo sponsor"
	}
	if d.State == SponsorPaid || d.State == SponsorReceived {
		sp.PaidAt = now
	}
	if d.Method != PayCard {
		sp.RecordedBy = "demo"
	}
	return sp
}
