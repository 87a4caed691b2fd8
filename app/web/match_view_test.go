package web

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

func TestSplitReasons(t *testing.T) {
	tests := []struct {
		name         string
		reasons      []string
		fits, caveat []string
	}{
		{"all fit", []string{"Engineering and manufacturing, as asked", "In 29 days, inside your window"},
			[]string{"Engineering and manufacturing, as asked", "In 29 days, inside your window"}, nil},
		{"another sector", []string{"12 km, about 20 minutes by car",
			"Transport and logistics (you asked for Digital and technology)", "Step-free access"},
			[]string{"12 km, about 20 minutes by car", "Step-free access"},
			[]string{"Transport and logistics (you asked for Digital and technology)"}},
		{"short notice", []string{"Tomorrow: short notice, inside your window"},
			nil, []string{"Tomorrow: short notice, inside your window"}},
		{"none", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fits, caveat := splitReasons(tt.reasons)
			if !slices.Equal(fits, tt.fits) || !slices.Equal(caveat, tt.caveat) {
				t.Errorf("got %q and %q, want %q and %q", fits, caveat, tt.fits, tt.caveat)
			}
		})
	}
}

// TestSplitReasonsOfScoreMatch checks the rule against the reasons that
// app.ScoreMatch really writes, so that a change of its wording shows here.
func TestSplitReasonsOfScoreMatch(t *testing.T) {
	now := time.Date(2026, time.November, 2, 9, 0, 0, 0, app.London)
	school := &app.Organisation{ID: "org_school", Kind: app.KindSchool, Status: app.OrgOpen}
	at := app.Location{Lat: 54.77, Lon: -1.57, Precision: app.PrecisionPostcode}
	req := &app.Request{ID: "req_1", Type: app.TypeCareersTalk, Sector: "digital",
		Audience: []string{"y9"}, GroupSize: 30, TravelKm: 30, Location: at}
	o := &app.Offer{ID: "off_1", Type: app.TypeCareersTalk, Sector: "transport", Public: true,
		Audience: []string{"y9"}, Delivery: app.DeliveryInPerson, Location: at}
	tests := []struct {
		name       string
		start      time.Time
		wantCaveat []string
	}{
		{"another sector", now.AddDate(0, 0, 30), []string{"(you asked for "}},
		{"another sector at short notice", now.AddDate(0, 0, 2), []string{"(you asked for ", "short notice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := app.Session{ID: "ses_1", Start: tt.start, End: tt.start.Add(time.Hour), Places: 60}
			m, ok := app.ScoreMatch(req, school, o, s, now)
			if !ok {
				t.Fatal("no match")
			}
			fits, caveat := splitReasons(m.Reasons)
			if len(caveat) != len(tt.wantCaveat) {
				t.Fatalf("worth knowing %q, want one reason with each of %q", caveat, tt.wantCaveat)
			}
			for i, mark := range tt.wantCaveat {
				if !strings.Contains(caveat[i], mark) {
					t.Errorf("worth knowing %q lacks %q", caveat[i], mark)
				}
			}
			if len(fits) == 0 {
				t.Errorf("no reason fits in %q", m.Reasons)
			}
		})
	}
}

func TestOfferMatchCards(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, time.December, d, 10, 0, 0, 0, app.London) }
	match := func(o *app.Offer, d int, score float64, reasons ...string) app.Match {
		return app.Match{Offer: o, Score: score, Reasons: reasons,
			Session: app.Session{ID: fmt.Sprint("ses_", d), Start: day(d), End: day(d).Add(time.Hour), Places: 30}}
	}
	talk := &app.Offer{ID: "off_talk", Title: "Meet a robotics engineer", Type: app.TypeCareersTalk,
		Delivery: app.DeliveryInPerson}
	visit := &app.Offer{ID: "off_visit", Title: "Visit a port", Type: app.TypeCareersTalk,
		Delivery: app.DeliveryVirtual}

	// Matches come best first: the talk's 15 December session scores best.
	cards := offerMatchCards([]app.Match{
		match(talk, 15, 71.6, "Engineering and manufacturing, as asked", "In 13 days, inside your window"),
		match(visit, 3, 60, "Virtual, so no travel", "Transport and logistics (you asked for Engineering)"),
		match(talk, 1, 55, "Engineering and manufacturing, as asked", "In 1 days, short notice"),
	})

	if len(cards) != 2 {
		t.Fatalf("%d cards, want one for each offer: %+v", len(cards), cards)
	}
	talkCard, visitCard := cards[0], cards[1]
	if talkCard.URL != "/offers/off_talk" || visitCard.URL != "/offers/off_visit" {
		t.Errorf("cards %q, %q: want the talk first", talkCard.URL, visitCard.URL)
	}
	var when []string
	for _, s := range talkCard.Sessions {
		when = append(when, s.When)
	}
	if want := []string{"Tue 1 December 2026, 10am to 11am", "Tue 15 December 2026, 10am to 11am"}; !slices.Equal(when, want) {
		t.Errorf("talk sessions %q, want %q (date order)", when, want)
	}
	if talkCard.Score != 72 || talkCard.BestDay != "Tue 15 December 2026" ||
		len(talkCard.Fits) != 2 || talkCard.WorthKnowing != nil {
		t.Errorf("talk card %+v: want the best session's score and reasons", talkCard)
	}
	if visitCard.BestDay != "" || len(visitCard.Sessions) != 1 ||
		!slices.Equal(visitCard.WorthKnowing, []string{"Transport and logistics (you asked for Engineering)"}) {
		t.Errorf("visit card %+v", visitCard)
	}
}

func TestMatchCardsLimit(t *testing.T) {
	var ms []app.Match
	for i := range pageMatchLimit + 3 {
		o := &app.Offer{ID: fmt.Sprintf("off_%02d", i), Type: app.TypeCareersTalk}
		start := time.Date(2027, time.January, 1+i, 10, 0, 0, 0, app.London)
		ms = append(ms, app.Match{Offer: o, Score: float64(90 - i),
			Session: app.Session{Start: start, End: start.Add(time.Hour), Places: 10}})
	}
	// A later session of the first offer still joins its card.
	first := ms[0]
	first.Session.Start = first.Session.Start.AddDate(0, 2, 0)
	ms = append(ms, first)

	cards := offerMatchCards(ms)
	if len(cards) != pageMatchLimit {
		t.Fatalf("%d cards, want %d", len(cards), pageMatchLimit)
	}
	if len(cards[0].Sessions) != 2 || cards[pageMatchLimit-1].URL != "/offers/off_09" {
		t.Errorf("first card has %d sessions, last card is %s", len(cards[0].Sessions), cards[pageMatchLimit-1].URL)
	}
}
