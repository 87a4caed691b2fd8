package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// demoEventCount is how many civic events the demo seeds.
const demoEventCount = 4

// eventSnapshot is every stored event and sponsorship as JSON, by id.
func eventSnapshot(t *testing.T, svc *app.Service) map[string]string {
	t.Helper()
	ctx := context.Background()
	events, total, err := svc.Store.ListEvents(ctx, "", 0, 100)
	if err != nil || total != demoEventCount {
		t.Fatalf("%d events stored (%v), want %d", total, err, demoEventCount)
	}

	snap := map[string]string{}
	keep := func(id string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		snap[id] = string(b)
	}
	for _, e := range events {
		keep(e.ID, e)
		list, err := svc.Store.ListSponsorships(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range list {
			keep(sp.ID, sp)
		}
	}
	return snap
}

func TestSeedDemoEvents(t *testing.T) {
	ctx := context.Background()
	svc := matchMarket(t)
	if _, err := svc.SeedDemo(ctx); err != nil {
		t.Fatalf("seed: %v", err)
	}
	before := eventSnapshot(t, svc)

	if _, err := svc.SeedDemo(ctx); err != nil {
		t.Fatalf("second seed: %v", err)
	}
	after := eventSnapshot(t, svc)
	if len(after) != len(before) {
		t.Errorf("%d records after the second run, %d after the first", len(after), len(before))
	}
	for id, doc := range before {
		if after[id] != doc {
			t.Errorf("second run changed %s:\n%s\nto\n%s", id, doc, after[id])
		}
	}

	events, _, err := svc.Store.ListEvents(ctx, "", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	checkDemoEvents(t, svc, events)

	t.Run("a year later the events get new dates", func(t *testing.T) {
		later := matchNow.AddDate(1, 0, 0)
		svc.Now = func() time.Time { return later }
		if _, err := svc.SeedDemo(ctx); err != nil {
			t.Fatal(err)
		}
		events, _, err := svc.Store.ListEvents(ctx, "", 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if !e.Start.After(later) || !e.End.After(e.Start) {
				t.Errorf("%s runs %v to %v, want after %v", e.ID, e.Start, e.End, later)
			}
		}
	})
}

// checkDemoEvents checks what the demo's events show: demo titles, future
// weekday dates, totals that agree with the sponsorships to the penny, some
// part-funded, and in-kind support.
func checkDemoEvents(t *testing.T, svc *app.Service, events []*app.CivicEvent) {
	t.Helper()
	var partFunded, inKind int
	for _, e := range events {
		start := e.Start.In(app.London)
		switch {
		case !e.Demo || !strings.HasPrefix(e.Title, "Demo: "):
			t.Errorf("%s: demo %v, title %q: want both to say demo", e.ID, e.Demo, e.Title)
		case !start.After(matchNow) || start.Weekday() == time.Saturday || start.Weekday() == time.Sunday:
			t.Errorf("%s starts %v, want a weekday after the seed ran", e.ID, start)
		case e.Status != app.EventOpen || e.Location.Lat == 0:
			t.Errorf("%s: status %s, location %+v", e.ID, e.Status, e.Location)
		}

		list, err := svc.Store.ListSponsorships(context.Background(), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := app.EventTotals(list); got != e.Totals {
			t.Errorf("%s: stored totals %+v, sponsorships add up to %+v", e.ID, e.Totals, got)
		}
		money := e.Totals.NetPence() + e.Totals.ReceivedPence
		if money > 0 && money < e.GoalPence {
			partFunded++
		}
		if e.Totals.InKindPence > 0 {
			inKind++
		}
	}
	if partFunded < 2 || inKind < 1 {
		t.Errorf("%d part-funded events and %d with support in kind, want at least 2 and 1",
			partFunded, inKind)
	}
}
