package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

func TestReconciliation(t *testing.T) {
	m := newMoneyEnv(t, true)
	ctx := context.Background()
	fair, forum := m.event(t), m.event(t)

	for _, amount := range []string{"19.99", "1,000.10"} {
		m.paid(t, m.sponsor(t, fair, amount), "")
	}
	m.sponsor(t, fair, "5") // pending: counts nothing
	m.pledge(t, forum, app.PledgeInput{Method: app.PayTransfer, Amount: "0.01", Name: "A penny"})
	m.pledge(t, forum, app.PledgeInput{Method: app.PayInKind, Amount: "400", Name: "Weardale Coaches", InKind: "Coach"})

	// Stored totals that drifted are put right from the sponsorships.
	drifted, err := m.store.GetEvent(ctx, forum.ID)
	if err != nil {
		t.Fatal(err)
	}
	drifted.Totals.PledgedPence += 100
	if err := m.store.UpdateEvent(ctx, drifted); err != nil {
		t.Fatal(err)
	}

	r, err := m.svc.Reconciliation(ctx, m.coord)
	if err != nil {
		t.Fatal(err)
	}
	// The payments name no PaymentIntent, so their fees are not known.
	want := app.Totals{RaisedPence: 102009, FeesUnknown: 2, PledgedPence: 1, InKindPledgedPence: 40000,
		Sponsors: 4}
	if r.Overall != want || len(r.Events) != 2 || r.Corrected != 1 {
		t.Fatalf("reconciliation overall %+v, %d events, %d corrected; want %+v, 2, 1",
			r.Overall, len(r.Events), r.Corrected, want)
	}
	m.wantTotals(t, forum.ID, app.Totals{PledgedPence: 1, InKindPledgedPence: 40000, Sponsors: 2})
	if app.FormatPence(r.Overall.NetPence()) != "£1,020.09" {
		t.Fatalf("net %s", app.FormatPence(r.Overall.NetPence()))
	}

	for _, a := range []*app.Actor{m.organiser, nil} {
		if _, err := m.svc.Reconciliation(ctx, a); app.ErrorCode(err) == "" {
			t.Fatalf("reconciliation shown to %+v", a)
		}
	}
}

func TestSponsorshipsCSV(t *testing.T) {
	m := newMoneyEnv(t, false)
	ctx := context.Background()
	e := m.event(t)

	hostile := []struct{ name, display, wantName, wantDisplay string }{
		{`=HYPERLINK("http://evil.test","x")`, "+SUM(A1:A9)", `'=HYPERLINK("http://evil.test","x")`, "'+SUM(A1:A9)"},
		{"-2+3", "@cmd", "'-2+3", "'@cmd"},
		{"|calc", "Zoë Brontë-Åsa", "'|calc", "Zoë Brontë-Åsa"},
		{"Plain Name", "Plain, \"quoted\", and long", "Plain Name", "Plain, \"quoted\", and long"},
	}
	for _, h := range hostile {
		m.now = m.now.Add(time.Minute)
		m.pledge(t, e, app.PledgeInput{Method: app.PayInvoice, Amount: "19.99", Name: h.name,
			DisplayName: h.display, Named: true})
	}
	// Forms trim leading tabs and returns; a record written another way
	// (a seed, an import) may still carry them.
	m.now = m.now.Add(time.Minute)
	raw := &app.Sponsorship{ID: app.NewID("spn"), EventID: e.ID, Method: app.PayTransfer, State: app.SponsorReceived,
		AmountPence: 1, Name: "\t=1+1", DisplayName: "\r=1+1", CreatedAt: m.now, UpdatedAt: m.now}
	if err := m.store.CreateSponsorship(ctx, raw); err != nil {
		t.Fatal(err)
	}
	hostile = append(hostile, struct{ name, display, wantName, wantDisplay string }{
		raw.Name, raw.DisplayName, "'\t=1+1", "'\r=1+1"})

	var buf bytes.Buffer
	if err := m.svc.WriteSponsorshipsCSV(ctx, m.coord, &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbfevent_id,")) {
		t.Fatalf("the file starts %q, want a UTF-8 byte order mark and the header", buf.Bytes()[:12])
	}
	if !strings.Contains(buf.String(), "Zoë Brontë-Åsa") {
		t.Fatal("an accented name is not written as typed")
	}
	buf.Next(3)
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(hostile) || rows[0][0] != "event_id" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}

	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for i, h := range hostile {
		row := rows[i+1]
		for _, c := range row {
			if c != "" && strings.ContainsRune("=+-@|\t\r", rune(c[0])) {
				t.Errorf("row %d has a cell that a spreadsheet would run: %q", i+1, c)
			}
		}
		if row[col["name"]] != h.wantName || row[col["display_name"]] != h.wantDisplay {
			t.Errorf("row %d names %q and %q, want %q and %q", i+1, row[col["name"]], row[col["display_name"]],
				h.wantName, h.wantDisplay)
		}
		if i < 4 && (row[col["amount"]] != "19.99" || row[col["refunded"]] != "0.00" || row[col["state"]] != "pledged") {
			t.Errorf("row %d: amount %q, refunded %q, state %q", i+1, row[col["amount"]], row[col["refunded"]],
				row[col["state"]])
		}
	}
	if last := rows[len(rows)-1]; last[col["amount"]] != "0.01" || last[col["event_date"]] != "2026-03-14" {
		t.Errorf("last row %v", last)
	}

	wantCode(t, m.svc.WriteSponsorshipsCSV(ctx, m.organiser, &buf), app.EForbidden)
}

// TestReconciliationLeavesOutDemo: the seeded demonstration events'
// invented money is added up apart, never into the overall totals, and
// the CSV marks it.
func TestReconciliationLeavesOutDemo(t *testing.T) {
	m := newMoneyEnv(t, false)
	ctx := context.Background()
	real, demo := m.event(t), m.event(t)
	m.pledge(t, real, app.PledgeInput{Method: app.PayInvoice, Amount: "19.99", Name: "Real Ltd"})
	// Invented money, as the demo seed writes it, before the event is
	// marked a demonstration (which then refuses pledges).
	m.pledge(t, demo, app.PledgeInput{Method: app.PayInvoice, Amount: "500", Name: "Demo: Invented Ltd"})
	stored := m.storedEvent(t, demo.ID)
	stored.Demo = true
	if err := m.store.UpdateEvent(ctx, stored); err != nil {
		t.Fatal(err)
	}

	r, err := m.svc.Reconciliation(ctx, m.coord)
	if err != nil {
		t.Fatal(err)
	}
	if r.Overall.PledgedPence != 1999 || r.Demo.PledgedPence != 500_00 || len(r.Events) != 2 {
		t.Fatalf("overall pledged %d, demo %d, %d events; want 1999, 50000 and both listed",
			r.Overall.PledgedPence, r.Demo.PledgedPence, len(r.Events))
	}

	var buf bytes.Buffer
	if err := m.svc.WriteSponsorshipsCSV(ctx, m.coord, &buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	last := len(rows[0]) - 1
	for _, row := range rows[1:] {
		wantDemo := strconv.FormatBool(row[0] == demo.ID)
		if rows[0][last] != "demo_event" || row[last] != wantDemo {
			t.Errorf("event %s: %s %q, want demo_event %s", row[0], rows[0][last], row[last], wantDemo)
		}
	}
}

func TestSafeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Ada", "Ada"},
		{"=1+1", "'=1+1"},
		{"+44 191", "'+44 191"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=1", "a=1"},
		{"|calc", "'|calc"},
		{"a|b", "a|b"},
		{"19.99", "19.99"},
	}
	for _, tc := range tests {
		if got := app.SafeCell(tc.in); got != tc.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
